import { methodNotAllowed } from "@stockroom/http-kit";
import { Router } from "express";

/** GET /healthz: the process is up and answering. What Compose's healthcheck calls. */
export function healthRoutes(): Router {
  const router = Router();
  router
    .route("/healthz")
    .get((_req, res) => {
      res.json({ status: "ok" });
    })
    .all(methodNotAllowed(["GET", "HEAD"]));
  return router;
}
