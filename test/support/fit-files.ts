// Synthetic FIT files for tests come from the same encoder `deload demo` uses.
export { encodeFitActivity as buildFitRun, type FitActivitySpec as SyntheticRun } from '../../libs/fit/src/encode';
