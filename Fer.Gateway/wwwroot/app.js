import { initPredict } from './predict.js';
import { initTrain } from './train.js';

initPredict();
initTrain();
document.documentElement.dataset.ready = 'true';
