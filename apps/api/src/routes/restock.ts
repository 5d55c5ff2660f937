import { methodNotAllowed } from "@stockroom/http-kit";
import { planRestock } from "@stockroom/restock";
import express, { Router } from "express";
import { parseRestockRequest } from "../restock-request.js";
import { requireJson } from "../require-json.js";

export interface RestockRoutesOptions {
  /** Most items one request may carry; more answers 413. */
  maxItems: number;
  /** Most bytes one request body may have; more answers 413. */
  bodyLimitBytes: number;
}

/** POST /restock: a restock plan for the items in the JSON body. */
export function restockRoutes({ maxItems, bodyLimitBytes }: RestockRoutesOptions): Router {
  const router = Router();
  router
    .route("/restock")
    .post(requireJson(), express.json({ limit: bodyLimitBytes }), (req, res) => {
      const { items, threshold, strategy } = parseRestockRequest(req.body, maxItems);
      const results = planRestock(items, { threshold, strategy });
      const needRestock = results.filter((record) => record.restock).length;
      res.json({ threshold, strategy, needRestock, results });
    })
    .all(methodNotAllowed(["POST"]));
  return router;
}
