# Lesson 3's solution, the way not to install a package: three steps, so the
# package lists `apt-get update` downloads stay in a layer of their own, and a
# later build reuses that step's old lists from the cache. The preparation
# (npm run workshop:prepare) builds this file into the build cache, so the
# learner's identical lines build without a network in the room.
FROM node:26-trixie-slim
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl
RUN rm -rf /var/lib/apt/lists/*
