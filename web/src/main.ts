import { createApp } from 'vue';
import { createPinia } from 'pinia';
// Components are imported where used, so the phone pages load only what they show; the styles are one file.
import 'element-plus/dist/index.css';
import './styles.css';
import App from './App.vue';
import { ApiError } from './api';
import { i18n } from './i18n';
import { router } from './router';

const app = createApp(App);
app.use(createPinia()).use(i18n).use(router);
// The API client has already shown an ApiError to the user; anything else is a bug worth the console.
app.config.errorHandler = (err) => {
  if (!(err instanceof ApiError)) console.error(err);
};
app.mount('#app');
