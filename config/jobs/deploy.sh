#!/bin/sh
# An example of a real job for TextOps's catalog (config/jobs.yaml, job
# "deploy"): a worker runs it directly, never through a shell of its own, and
# hands it the run's parameters as environment variables only.
# Replace the echo and sleep lines with your own deployment commands.
set -eu

service=$TEXTOPS_PARAM_SERVICE
version=$TEXTOPS_PARAM_VERSION
replicas=$TEXTOPS_PARAM_REPLICAS

echo "run $TEXTOPS_RUN_ID attempt $TEXTOPS_ATTEMPT: deploying $service $version ($replicas replicas)"
if [ "$TEXTOPS_PARAM_DRYRUN" = "true" ]; then
  echo "dry run: nothing changed"
  exit 0
fi
i=1
while [ "$i" -le "$replicas" ]; do
  echo "replica $i of $replicas: $service $version started"
  sleep 0.1
  i=$((i + 1))
done
echo "deployed $service $version on $replicas replicas"
