/**
 * The Python that independent cross-checks run under: Debian's, which has python3-numpy,
 * python3-scipy and python3-nibabel (installed by .ci/run). Override with CARDIGAN_REFERENCE_PYTHON.
 */
export function referencePython(): string {
  return process.env.CARDIGAN_REFERENCE_PYTHON ?? '/usr/bin/python3';
}
