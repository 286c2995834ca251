-- Database `mlflow` beside the suite's own: the MLflow server's tracking and registry store in
-- compose (docker-compose.yaml mounts this file; 3_db/Dockerfile copies it). Runs once, on an empty
-- data volume, after 10-init.sql.
CREATE DATABASE mlflow;
