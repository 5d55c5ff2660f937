import type { RequestHandler } from "express";

/** Stamps every response with the replica that answered, for the scaling lessons. */
export function servedBy(hostname: string): RequestHandler {
  return (_req, res, next) => {
    res.set("X-Served-By", hostname);
    next();
  };
}
