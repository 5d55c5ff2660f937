import { methodNotAllowed } from "@stockroom/http-kit";
import { Router } from "express";

/** GET / answers the greeting as plain text, exactly, with no trailing newline. */
export function greetingRoutes(message: string): Router {
  const router = Router();
  router
    .route("/")
    .get((_req, res) => {
      res.type("text/plain").send(message);
    })
    .all(methodNotAllowed(["GET", "HEAD"]));
  return router;
}
