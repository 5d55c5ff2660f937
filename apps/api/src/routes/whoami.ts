import { methodNotAllowed } from "@stockroom/http-kit";
import { Router } from "express";

/** GET /whoami: the container's hostname, so a lesson can see which replica answered. */
export function whoamiRoutes(hostname: string): Router {
  const router = Router();
  router
    .route("/whoami")
    .get((_req, res) => {
      res.json({ hostname });
    })
    .all(methodNotAllowed(["GET", "HEAD"]));
  return router;
}
