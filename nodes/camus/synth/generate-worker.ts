import { parentPort, workerData } from 'worker_threads';
import { type PatientBatch, writePatients } from './generate';

/** A generator thread: writes its batch of patients and reports each one as it lands. */
writePatients(workerData as PatientBatch, (patient) => parentPort?.postMessage(patient)).catch((error: unknown) => {
  // Rethrown outside the promise so the parent's 'error' event receives it.
  setImmediate(() => {
    throw error;
  });
});
