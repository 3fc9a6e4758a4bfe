"""What every worker process runs: `assistant.service.worker:app`, imported once by the supervisor
(`run.serve`) before it forks the workers, so each starts with it (and with the index, when the
supervisor could preload it: `core`).

Threads are pinned before anything numeric is imported (numpy, faiss and the embedder read the
thread count once, when they load); the settings come from the environment `run.serve` sets:
PLAN_ASSISTANT_* for the configuration, PLAN_ASSISTANT_TOKENS_FILE for the tokens and
PLAN_ASSISTANT_SERVICE_WORKERS for the number of workers.
"""

from assistant.service.threads import pin_threads

pin_threads()

import os  # noqa: E402

from assistant.service.core import Core  # noqa: E402
from assistant.service.guard import TOKENS_FILE, read_tokens  # noqa: E402
from assistant.service.http import create_app  # noqa: E402
from assistant.service.run import WORKERS  # noqa: E402

core = Core()
app = create_app(core, tokens=read_tokens(os.environ[TOKENS_FILE]) if os.environ.get(TOKENS_FILE) else None,
                 siblings=int(os.environ.get(WORKERS) or 1) > 1)
