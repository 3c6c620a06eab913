import { createApp } from 'vue';
import App from './App.vue';

declare global {
  interface Window {
    charlaHost: { url: string; token: string };
    hostEvents: string[];
  }
}

window.hostEvents = [];
createApp(App).mount('#app');
