import sys

from nn_estimator.cli import main

sys.exit(main())
