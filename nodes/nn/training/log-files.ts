import { VOLATILE_FOLDER } from '../../../engine';

/**
 * Where the shared training loop writes its logs in a trainer's `model` folder. Kept free of tfjs so
 * that node definitions, the report and tests can name them without loading it.
 */

/** One JSON line per epoch (losses, learning rates, validation scores): a function of params, inputs and seed. */
export const TRAINING_LOG = 'log.jsonl';

/**
 * One JSON line per epoch of wall-clock figures (`{epoch, seconds, imagesPerSecond}`). Under the
 * port's volatile/ folder: kept with the model but out of its content hash, so a retrained model with
 * the same weights leaves everything downstream cached.
 */
export const TIMINGS_LOG = `${VOLATILE_FOLDER}/timings.jsonl`;
