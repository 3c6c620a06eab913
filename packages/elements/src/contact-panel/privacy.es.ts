import type { PrivacyString } from './privacy.strings.js';

const es: Record<PrivacyString, string> = {
  privacy: 'Privacidad',
  exportHint: 'Todo lo que Charla guarda de esta persona (datos, conversaciones, notas, negocios, compras, archivos) en un solo archivo, para su derecho de acceso.',
  download: 'Descargar datos',
  preparing: 'Preparando…',
  preparingHint: 'Preparando el archivo; se descarga cuando esté listo.',
  downloaded: 'El archivo se descargó.',
  exportFailed: 'La exportación falló',
  exportFailedWith: 'No se pudieron exportar los datos: {reason}',
  erase: 'Borrar a esta persona…',
  eraseQuestion: '¿Borrar a {name} y todo lo que Charla guarda de esta persona? Se van conversaciones, mensajes, archivos, notas, negocios y compras, y no se pueden recuperar. La actividad conserva solo que ocurrió.',
  thisPerson: 'esta persona',
  block: 'Rechazar también sus mensajes de ahora en adelante',
  eraseConfirm: 'Borrar definitivamente',
  erasing: 'Borrando…',
  cancel: 'Cancelar',
  eraseFailed: 'No se pudo borrar a la persona: {reason}',
};

export default es;
