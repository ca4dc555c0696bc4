// Exports of the vendor module are stand-ins, so that nothing reaches the module before it is
// ready: `ready()` runs first on every construction, call or static method. In browsers it
// throws NOT_INITIALIZED until `init()` has finished; in Node it compiles and instantiates the
// module on first use. Instances are not wrapped: their methods exist only once a constructor
// (or a method of an earlier instance) has run.

/**
 * A proxy with `stand` as its target that forwards to `resolve()`, running `ready()` first.
 * Each object a constructor makes is reported to `ready.constructed(object, target, args)`,
 * if the entry has one (recover.js: to make it again in a new instance).
 */
function behind(stand, resolve, ready) {
  const proxy = new Proxy(stand, {
    apply(_, thisArg, args) {
      ready();
      return Reflect.apply(resolve(), thisArg, args);
    },
    construct(_, args, newTarget) {
      ready();
      const target = resolve();
      const object = Reflect.construct(target, args, newTarget === proxy ? target : newTarget);
      ready.constructed?.(object, target, args);
      return object;
    },
    get(_, key) {
      const target = resolve();
      const value = Reflect.get(target, key);
      if (typeof value !== "function" || key === "prototype") return value;
      return (...args) => {
        ready();
        return value.apply(target, args);
      };
    },
  });
  return proxy;
}

/** `target` (a class or a function) behind `ready()`. `instanceof` and subclassing work as on the target. */
export function guarded(target, ready) {
  return behind(target, () => target, ready);
}

/**
 * The export `name` of the glue that `load()` returns (ready to use), loaded on first use of any
 * kind, a property read included: for the CommonJS entry, which requires the vendor module's
 * glue only when it is needed.
 */
export function deferred(name, load) {
  const ready = () => {};
  ready.constructed = (...a) => load.constructed?.(...a);
  return behind(function () {}, () => load()[name], ready);
}
