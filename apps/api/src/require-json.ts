import { HttpError } from "@stockroom/http-kit";
import type { RequestHandler } from "express";

/** 415 unless the request says its body is application/json. */
export function requireJson(): RequestHandler {
  return (req, _res, next) => {
    if (req.is("application/json") === "application/json") {
      next();
      return;
    }
    const got = req.get("content-type");
    const sent = got === undefined ? "no Content-Type" : `Content-Type ${got}`;
    next(new HttpError(415, `send the body as JSON with Content-Type: application/json (got ${sent})`));
  };
}
