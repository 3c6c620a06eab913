import type { PrivacyString } from './privacy.strings.js';

const pt: Record<PrivacyString, string> = {
  privacy: 'Privacidade',
  exportHint: 'Tudo o que o Charla guarda desta pessoa (dados, conversas, notas, negócios, compras, arquivos) em um só arquivo, para o seu direito de acesso.',
  download: 'Baixar dados',
  preparing: 'Preparando…',
  preparingHint: 'Preparando o arquivo; ele é baixado quando estiver pronto.',
  downloaded: 'O arquivo foi baixado.',
  exportFailed: 'A exportação falhou',
  exportFailedWith: 'Não foi possível exportar os dados: {reason}',
  erase: 'Apagar esta pessoa…',
  eraseQuestion: 'Apagar {name} e tudo o que o Charla guarda desta pessoa? Conversas, mensagens, arquivos, notas, negócios e compras são removidos e não podem voltar. A atividade guarda apenas que aconteceu.',
  thisPerson: 'esta pessoa',
  block: 'Recusar também as mensagens dela daqui em diante',
  eraseConfirm: 'Apagar definitivamente',
  erasing: 'Apagando…',
  cancel: 'Cancelar',
  eraseFailed: 'Não foi possível apagar a pessoa: {reason}',
};

export default pt;
