const http = require("node:http");

const server = http.createServer((request, response) => {
  response.end(`Hello from my first image! You asked for ${request.url}\n`);
});
server.listen(3000, () => console.log("listening on port 3000"));
