/**
 * The demo shop's payment provider: a stand-in for a real one (Stripe, Mercado Pago, Conekta) on
 * its own loopback port, so the demo's "Payment link" quick action calls a real HTTP API the way
 * a host's backend calls its provider. `POST /v1/payment_links {amount, currency, description}`
 * answers `{id, url, amount, currency, description, createdAt}`; `GET /v1/payment_links` lists
 * them; the link itself (`GET /pay/:id`) is a small page with the amount. Demo mode only:
 * `/demo/payment-link` on Charla's server asks it on the admin page's behalf (the page's
 * Content-Security-Policy lets it call only its own origin, as a host page calls its own backend).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { z } from 'zod';
import { CharlaFailure } from './failure.js';

export interface PaymentLink {
  id: string;
  url: string;
  amount: number;
  currency: string;
  description: string | null;
  createdAt: string;
}

export interface DemoPayments {
  /** The API's base URL, `http://127.0.0.1:PORT`. */
  url: string;
  links: PaymentLink[];
  close(): Promise<void>;
}

const linkRequestSchema = z
  .object({
    amount: z.number({ error: 'amount: Give a number' }).positive('amount: Give an amount above zero').max(10_000_000, 'amount: At most 10,000,000'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'currency: Use an ISO 4217 code such as MXN'),
    description: z.string().trim().max(200, 'description: At most 200 characters').optional(),
  })
  .strict();

const LINKS_KEPT = 500;

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

async function readJson(req: IncomingMessage): Promise<unknown> {
  let raw = '';
  for await (const chunk of req) {
    raw += String(chunk);
    if (raw.length > 10_000) throw new Error('The body is too large');
  }
  return JSON.parse(raw || '{}');
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Starts the payment API on a free loopback port (or `port`). */
export async function startDemoPayments(port = 0): Promise<DemoPayments> {
  const links: PaymentLink[] = [];
  let base = '';
  const server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', base).pathname;
      if (req.method === 'POST' && path === '/v1/payment_links') {
        let body: unknown;
        try {
          body = await readJson(req);
        } catch (error) {
          return json(res, 400, { error: { message: `Send a JSON body: ${(error as Error).message}` } });
        }
        const parsed = linkRequestSchema.safeParse(body);
        if (!parsed.success) return json(res, 400, { error: { message: parsed.error.issues.map((issue) => issue.message).join('; ') } });
        const id = `pl_${randomBytes(8).toString('hex')}`;
        const link: PaymentLink = {
          id, url: `${base}/pay/${id}`, amount: parsed.data.amount, currency: parsed.data.currency,
          description: parsed.data.description || null, createdAt: new Date().toISOString(),
        };
        links.push(link);
        if (links.length > LINKS_KEPT) links.splice(0, links.length - LINKS_KEPT);
        return json(res, 201, link);
      }
      if (req.method === 'GET' && path === '/v1/payment_links') return json(res, 200, { data: links });
      const pay = /^\/pay\/(pl_[0-9a-f]{16})$/.exec(path);
      const link = pay && req.method === 'GET' ? links.find((l) => l.id === pay[1]) : undefined;
      if (link) {
        const amount = new Intl.NumberFormat('es-MX', { style: 'currency', currency: link.currency }).format(link.amount);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" });
        return void res.end(`<!doctype html><meta charset="utf-8"><title>Pagar ${escapeHtml(amount)}</title>
<body style="font:16px system-ui;margin:2em"><h1>Pagar ${escapeHtml(amount)} ${escapeHtml(link.currency)}</h1><p>${escapeHtml(link.description ?? '')}</p><p>(Pago de demostración: nada se cobra.)</p></body>`);
      }
      json(res, 404, { error: { message: 'Not found' } });
    })().catch((error: unknown) => json(res, 500, { error: { message: String(error) } }));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    links,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const demoLinkSchema = z
  .object({
    amount: z.number({ error: 'amount: Give a number' }).positive('amount: Give an amount above zero'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'currency: Use an ISO 4217 code such as MXN'),
    description: z.string().trim().max(200).optional(),
  })
  .strict();

/**
 * `POST /demo/payment-link {amount, currency, description}` → `{url, title}`: the admin page's
 * backend asks the payment API for a link (the demo routes answer only on loopback).
 */
export function registerDemoPayments(app: Express, payments: DemoPayments): void {
  app.post('/demo/payment-link', express.json({ limit: '10kb' }), async (req, res) => {
    const parsed = demoLinkSchema.safeParse(req.body);
    if (!parsed.success) throw new CharlaFailure('invalid_payload', parsed.error.issues.map((issue) => issue.message).join('; '));
    const answer = await fetch(`${payments.url}/v1/payment_links`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(parsed.data),
      signal: AbortSignal.timeout(5000),
    });
    const body = (await answer.json()) as PaymentLink & { error?: { message?: string } };
    if (!answer.ok) throw new CharlaFailure(answer.status === 400 ? 'invalid_payload' : 'offline', `The payment provider refused the link: ${body.error?.message ?? answer.status}`);
    const amount = new Intl.NumberFormat('es-MX', { style: 'currency', currency: body.currency }).format(body.amount);
    res.json({ url: body.url, title: `Pagar ${amount} ${body.currency}` });
  });
}
