// Exports of the vendor module are wrapped so that nothing reaches the module before it is
// ready: `ready()` runs first on every construction, call or static method. In browsers it
// throws NOT_INITIALIZED until `init()` has finished; in Node it compiles and instantiates
// the module on first use. Instances are not wrapped: their methods exist only once a
// constructor (or a method of an earlier instance) has run.

/** `target` (a class or a function) behind `ready()`. `instanceof` and subclassing work as on the target. */
export function guarded(target, ready) {
  const proxy = new Proxy(target, {
    apply(t, thisArg, args) {
      ready();
      return Reflect.apply(t, thisArg, args);
    },
    construct(t, args, newTarget) {
      ready();
      return Reflect.construct(t, args, newTarget === proxy ? t : newTarget);
    },
    get(t, key, receiver) {
      const value = Reflect.get(t, key, receiver);
      if (typeof value !== "function" || key === "prototype") return value;
      return (...args) => {
        ready();
        return value.apply(t, args);
      };
    },
  });
  return proxy;
}
