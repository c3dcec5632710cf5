export { type KernelGrouping, type KernelRow, type KernelTable, kernelTable, type ProfiledKernel } from './kernel-table';
export { type ProfileOptions, profileStep, type StepProfile } from './step-profile';
export { meterTransfers, type TransferCount, type TransferCounts } from './transfer-meter';
