"""`python -m metrics_service`: serve on 127.0.0.1:8003 (HOST / PORT override)."""

import os

import uvicorn

if __name__ == "__main__":
    uvicorn.run(
        "metrics_service.main:app",
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "8003")),
    )
