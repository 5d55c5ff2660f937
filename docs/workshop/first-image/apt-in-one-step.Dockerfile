# Lesson 3's solution, the way to install a package: update, install and
# clean up in one step, so the package lists never reach a layer and an
# install line that changes always reads fresh lists. The preparation
# (npm run workshop:prepare) builds this file into the build cache, so the
# learner's identical lines build without a network in the room.
FROM node:26-trixie-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
