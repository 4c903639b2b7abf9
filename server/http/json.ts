import type {Response} from 'express';
import type {JsonText} from '../services/customer-cache.js';

/** Sends JSON text as `res.json` would send the value it stands for. */
export function sendJson<T>(res: Response, json: JsonText<T>): void {
  res.type('application/json').send(json);
}
