import { initAdminKey } from './admin.js';
import { initPredict } from './predict.js';
import { initTrain } from './train.js';
import { initModels } from './models.js';

initAdminKey();
initPredict();
initModels();
initTrain();
document.documentElement.dataset.ready = 'true';
