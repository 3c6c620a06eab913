import { PIPELINE_METRICS, metricsReportRequestSchema, type Agent, type MetricName } from '@charla/protocol';
import PDFDocument from 'pdfkit';
import type { Store } from '../store/index.js';
import { parseInput } from '../validation.js';
import { computeMetric, type PresenceLookup } from './index.js';
import { metricTable, type MetricTable } from './tables.js';

const DAY_MS = 86_400_000;
const MARGIN = 36;
const CELL_PADDING = 3;
const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';

/**
 * The dashboard for a range as a PDF (A4, landscape): every metric's table, with the same
 * numbers as its CSV and its view, as selectable text.
 */
export async function metricsReport(store: Store, agent: Agent, query: Record<string, unknown>, presence: PresenceLookup): Promise<Buffer> {
  const request = parseInput(metricsReportRequestSchema, query);
  const now = Date.now();
  const to = request.to ? new Date(request.to).toISOString() : new Date(now).toISOString();
  const from = request.from ? new Date(request.from).toISOString() : new Date(Date.parse(to) - 30 * DAY_MS).toISOString();
  const range = { from, to };
  const pipeline = request.pipelineId ? { pipelineId: request.pipelineId } : {};
  // The tables need the numbers only: no deal, customer or conversation lists (idLimit 0).
  const numbers = { idLimit: 0 };
  const metrics: Array<[MetricName, Record<string, unknown>]> = [
    ['first-response-time', range], ['reply-time', range], ['resolution-time', range], ['volume', { ...range, groupBy: 'channel' }],
    ...PIPELINE_METRICS.map((name): [MetricName, Record<string, unknown>] => [name, { ...range, ...pipeline, ...numbers }]),
    ['workload', numbers],
    // Hygiene is judged as of the end of the range, never later than now (as on the dashboard).
    ['pipeline-hygiene', { to: new Date(Math.min(Date.parse(to), now)).toISOString(), ...pipeline, ...numbers }],
    ['ltv-by-channel', { ...range, ...numbers }], ['acquisition-cost', range],
  ];
  const [workspace, ...results] = await Promise.all([
    store.workspaces.byId(agent.workspaceId),
    ...metrics.map(([name, metricQuery]) => computeMetric(store, agent, name, metricQuery, presence)),
  ]);
  return render(`${workspace?.name ?? ''} — sales report`, `${from.slice(0, 10)} to ${to.slice(0, 10)} (UTC, end excluded)`, results.map(metricTable));
}

function render(title: string, subtitle: string, tables: MetricTable[]): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: MARGIN, info: { Title: title, Creator: 'Charla' } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font(BOLD).fontSize(16).text(title);
  doc.font(FONT).fontSize(10).fillColor('#5b6777').text(subtitle).fillColor('black');
  for (const table of tables) drawTable(doc, table);
  doc.end();
  return done;
}

/** A table: its title, a header row and one row per line, its columns sharing the page's width; rows never split across pages. */
function drawTable(doc: PDFKit.PDFDocument, table: MetricTable): void {
  const width = doc.page.width - 2 * MARGIN;
  const column = width / table.columns.length;
  const bottom = doc.page.height - MARGIN;
  const heightOf = (cells: string[], font: string) => {
    doc.font(font).fontSize(8);
    return Math.max(...cells.map((cell) => doc.heightOfString(cell, { width: column - 2 * CELL_PADDING }))) + 2 * CELL_PADDING;
  };
  const drawRow = (cells: string[], font: string) => {
    const height = heightOf(cells, font);
    const y = doc.y;
    doc.font(font).fontSize(8);
    cells.forEach((cell, i) => doc.text(cell, MARGIN + i * column + CELL_PADDING, y + CELL_PADDING, { width: column - 2 * CELL_PADDING }));
    doc.moveTo(MARGIN, y + height).lineTo(MARGIN + width, y + height).lineWidth(0.5).strokeColor('#d9dee5').stroke();
    doc.x = MARGIN;
    doc.y = y + height;
  };
  // The title, the header and the first row stay together; a table going on to the next page repeats its header.
  const first = table.rows[0] ? heightOf(table.rows[0], FONT) : 0;
  if (doc.y + 40 + heightOf(table.columns, BOLD) + first > bottom) doc.addPage();
  else doc.moveDown(1);
  doc.x = MARGIN;
  doc.font(BOLD).fontSize(12).text(table.title);
  doc.moveDown(0.3);
  drawRow(table.columns, BOLD);
  for (const row of table.rows) {
    if (doc.y + heightOf(row, FONT) > bottom) {
      doc.addPage();
      drawRow(table.columns, BOLD);
    }
    drawRow(row, FONT);
  }
}
