"""One APIRouter per resource; each translates between HTTP and the use cases."""
