// The vendor module's instance, configured, and replaced after a call interrupted inside it:
// the host's stack ran out there, or it trapped, which leaves its state unusable (a borrow
// left taken, the allocator mid-update). The glue (scripts/build.mjs `withRecovery`) marks
// such an instance and replaces it at the next call; this file configures each instance and
// makes the objects of a replaced one again.
import { attempt, pause, request, tasks, useTurnTimer } from "./transport.js";
import { leanTwins } from "./twins.js";

/**
 * Configures the glue's instance now and each new one: the error class, the random source,
 * the transport with a task bridge of its own (the tasks of a replaced instance are rejected,
 * `NETWORK`, not retryable: whether their request was sent is unknown). An object made by a
 * constructor and used after a replacement is made again in the new instance from the same
 * arguments (its cached tokens are gone); an object the module made itself (a session from
 * a login) cannot be, and throws `AUTH_FAILED`. `setImmediate`, when given, ends the
 * transport's turns (transport.js `useTurnTimer`). Returns `constructed(object, target, args)`,
 * which the export guards call with what each constructor was given.
 */
export function vendorRuntime(glue, { errorClass, random, dom, setImmediate }) {
  if (setImmediate !== undefined) useTurnTimer(setImmediate);
  let bridge;
  const configure = () => {
    glue.__configure(errorClass, random);
    bridge?.abandon(
      new errorClass("the call was lost: the module was replaced after another call was interrupted inside it", {
        code: "NETWORK",
        retryable: false,
      }),
    );
    bridge = tasks(glue.__lmsbPoll);
    glue.__configureTransport(attempt, pause, request, bridge, dom);
  };
  const made = new WeakMap();
  glue.__lmsb_recovery({
    afterReset: configure,
    stale(object) {
      const was = made.get(object);
      if (was === undefined) {
        throw new errorClass("this object was lost when the module was replaced after an interrupted call: log in again", {
          code: "AUTH_FAILED",
          retryable: false,
        });
      }
      object.__lmsb_adopt(Reflect.construct(was[0], was[1]).__destroy_into_raw());
    },
  });
  configure();
  leanTwins(glue, { ...vendorSigning(() => glue), errorClass });
  return (object, target, args) => {
    made.set(object, [target, args]);
  };
}

/**
 * makeSigning's `store` and `instantiate` where the signing functions use the vendor
 * module's instance (the full entries in browsers and workerd): always the glue's current
 * instance, which an interrupted signing call replaces.
 */
export function vendorSigning(glue) {
  return {
    store: {
      interrupted: false,
      get signing() {
        return glue().__lmsb_exports();
      },
      set signing(value) {
        if (value === undefined) glue().__lmsb_reset();
      },
    },
    instantiate: () => glue().__lmsb_exports(),
  };
}
