import { initAdminKey } from './admin.js';
import { initPredict } from './predict.js';
import { initTrain } from './train.js';
import { initModels } from './models.js';
import { initMonitoring } from './monitoring.js';
import { initRetraining } from './retraining.js';

initAdminKey();
initPredict();
initModels();
initMonitoring();
initRetraining();
initTrain();
document.documentElement.dataset.ready = 'true';
