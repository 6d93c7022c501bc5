"""The worker: claims task-run jobs, runs plugins' ``run(ctx)`` in threads and reports results.

It reaches persistence only through the ``WorkerQueue``, ``KVStore`` and ``FileStorage`` ports
(never repositories). Modules: ``service`` (the asyncio loop), ``execute`` (one attempt, blocking),
``run_context`` (the ``sdk.RunContext`` implementation), ``platform`` (expression functions),
``storage``, ``kv``, ``secrets``, ``masking``, ``logs``, ``outputs``, ``bridge``.
"""
