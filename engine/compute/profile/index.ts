export { type KernelRow, type KernelTable, kernelTable, type ProfiledKernel } from './kernel-table';
export { profileStep, type StepProfile } from './step-profile';
export { meterTransfers, type TransferCount, type TransferCounts } from './transfer-meter';
