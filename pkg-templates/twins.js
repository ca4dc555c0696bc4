// The sans-IO twins (`buildX`, `parseX`) of AlphaLearn, of LearnWorlds' SSO, of Teach on Mars'
// learner creation and update, and Miles Masterclass' builders, over the vendor module's lean
// calls (src/vendors/{alphalearn,learnworlds,teach_on_mars,miles_masterclass}/wire.rs): the
// call's strings, or the response's body, are written into the module's input buffer and the
// request or the result comes back as text. The module makes every check and every decision,
// with the functions the network calls use; this file reads the caller's values (as handoff.js
// does: the fields a call uses, own properties) and builds the results and the
// `LmsBridgeError`s.
import { request } from "./transport.js";
import { putUtf8, signingInstance } from "./signing.js";

/** Argument lengths that are not lengths (src/handoff/wire.rs). */
const ABSENT = 0xffffffff;
const NOT_TEXT = 0xfffffffe;
const TRUE = 0xfffffffd;
const FALSE = 0xfffffffc;
/** A string longer than the module reads (`TOO_LONG`): refused there, never written into it. */
const TOO_LONG = 0xfffffffb;
/** NaN or ±Infinity (`NON_FINITE`), which the network calls refuse in any argument. */
const NON_FINITE = 0xfffffffa;
/**
 * A string of the call's input not written because its strings already held more than the
 * network call reads (`TOO_MUCH`): refused there as too much text.
 */
const TOO_MUCH = 0xfffffff9;

/**
 * The most UTF-16 units a string argument may have: more are more than the module's 2^24
 * bytes of UTF-8 (lean.rs `MAX_STRING`).
 */
const MAX_STRING_UNITS = 1 << 24;

/** A call that failed: the output is the whole error (wire.rs `FAILED`, `error_output`). */
const FAILED = -2;

/** Longest body accepted, in bytes or UTF-16 units (as the class's network calls accept). */
const MAX_BODY = 1 << 27;

/** AlphaLearn's twins, numbered as the module numbers them (`wire::Op`), with their input's fields. */
const OPS = [
  ["Login", ["email", "password", "domain"]],
  ["RefreshToken", undefined],
  ["LoginWithThirdParty", ["provider", "token"]],
  ["ForgotPassword", ["email", "domain", "sendEmailNotification", "overrideEmailUrl"]],
];

const decoder = new TextDecoder();

/** `obj[key]` when `key` is its own property. */
const own = (obj, key) => (Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined);

/** Defines `name` on a class's prototype as its glue defines methods (not enumerable). */
const define = (proto, name, value) =>
  Object.defineProperty(proto, name, { value, writable: true, enumerable: false, configurable: true });

/**
 * Adds the twins to the glue's `AlphaLearn`, `LearnWorlds`, `TeachOnMars` and
 * `MilesMasterclass` classes. `store` and `instantiate`: the vendor module's instance, as its
 * signing functions keep it (recover.js `vendorSigning`: replaced when a call was interrupted
 * inside it); `errorClass` is the entry's `LmsBridgeError`.
 */
export function leanTwins(glue, { store, instantiate, errorClass }) {
  const lean = leanCalls({ store, instantiate, errorClass });
  leanAlphaLearn(glue.AlphaLearn, lean);
  leanLearnWorlds(glue.LearnWorlds, lean);
  leanTeachOnMars(glue.TeachOnMars, lean);
  leanMilesMasterclass(glue.MilesMasterclass, lean);
}

/** A client's check that `client` is an instance of `Class` (named `name`) the module made. */
const instanceCheck = (Class, name, errorClass) => (client) => {
  if (!(client instanceof Class) || !client.__wbg_ptr) {
    throw new errorClass(`expected an instance of ${name}`, { code: "INVALID_INPUT", retryable: false });
  }
};

/** What the twins share: running a lean call, and reading their arguments. */
function leanCalls({ store, instantiate, errorClass }) {
  const exports = signingInstance(store, instantiate);
  const invalidInput = (name, why) => new errorClass(`\`${name}\` ${why}`, { code: "INVALID_INPUT", retryable: false });

  // The module's memory as bytes, made again when the memory changed (a new instance) or grew
  // (which detaches the old view). The memory is recorded after the view is made, as
  // signing.js' `wasm()` does: a call out of stack in between leaves the view to be made again.
  let memory = null;
  let u8 = null;
  function view() {
    const w = exports();
    if (w.memory !== memory || u8.byteLength === 0) {
      const m = w.memory;
      u8 = new Uint8Array(m.buffer);
      memory = m;
    }
    return w;
  }

  /** Writes a string as UTF-8 at `at` (room for 3 bytes per unit); returns the end. */
  const putString = (at, s) => putUtf8(u8, at, s, 32);

  /** The error a failed call wrote: `code\0retryable\0vendor\0status\0vcLen\0detailsLen\0` + texts. */
  function failure(out) {
    const fields = [];
    let at = 0;
    for (let i = 0; i < 6; i++) {
      const end = out.indexOf(0, at);
      fields.push(decoder.decode(out.subarray(at, end)));
      at = end + 1;
    }
    const [code, retryable, vendor, status, vcLen, detailsLen] = fields;
    const take = (len) => {
      if (len === "") return undefined;
      const text = decoder.decode(out.subarray(at, at + Number(len)));
      at += Number(len);
      return text;
    };
    const vendorCode = take(vcLen);
    const details = take(detailsLen);
    return new errorClass(decoder.decode(out.subarray(at)), {
      code,
      retryable: retryable === "1",
      vendor: vendor || undefined,
      status: status === "" ? undefined : Number(status),
      vendorCode,
      details: details === undefined ? undefined : JSON.parse(details),
    });
  }

  /**
   * Runs one call: `bytes` (if any), then `values` (strings; anything else for a sentinel)
   * written one after another; `call(w, used, lens)` makes it. A string longer than `longest`
   * units is not written (`TOO_LONG`: a builder's argument; a parser's body is read whole).
   * `values[from]` to `values[to - 1]` are the call's input strings, which the network call
   * reads within one budget of text: once they hold more than `MAX_STRING_UNITS` units in all,
   * the rest are not written either (`TOO_MUCH`), so a call never writes more than that
   * budget's worth. Returns the output (a view of the module's memory, good until the next
   * call) and the call's return value, or throws the call's error.
   */
  function run(values, bytes, call, longest = MAX_STRING_UNITS, from = 0, to = 0) {
    try {
      const w = view();
      let bound = bytes?.length ?? 0;
      let units = 0;
      const lens = new Array(values.length);
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (typeof v === "string") {
          if (v.length > longest) {
            lens[i] = TOO_LONG;
          } else if (i >= from && i < to && (units += v.length) > MAX_STRING_UNITS) {
            lens[i] = TOO_MUCH;
          } else {
            lens[i] = -1; // written below
            bound += v.length * 3;
          }
        } else {
          lens[i] = v === true ? TRUE : v === false ? FALSE : v === undefined || v === null || typeof v === "function" ? ABSENT
            : typeof v === "number" && !Number.isFinite(v) ? NON_FINITE : NOT_TEXT;
        }
      }
      const ptr = w.__lmsb_input(bound);
      if (ptr === 0) throw invalidInput("arguments", "are too large for the module's memory");
      if (u8.byteLength === 0) view(); // the memory grew
      let at = ptr;
      if (bytes !== undefined) {
        u8.set(bytes, at);
        at += bytes.length;
      }
      for (let i = 0; i < values.length; i++) {
        if (lens[i] !== -1) continue;
        const start = at;
        at = putString(at, values[i]);
        lens[i] = at - start;
      }
      const rc = call(w, at - ptr, lens);
      if (u8.byteLength === 0) view();
      const start = w.__lmsb_output();
      const out = u8.subarray(start, start + w.__lmsb_output_len());
      if (rc === FAILED) throw failure(out);
      if (rc === -1) {
        const nul = out.indexOf(0);
        throw new errorClass(decoder.decode(out.subarray(nul + 1)), { code: decoder.decode(out.subarray(0, nul)), retryable: false });
      }
      return [out, rc];
    } catch (e) {
      // Interrupted inside the module (the host's stack, a trap): checked at the next call.
      if (!(e instanceof errorClass)) store.interrupted = true;
      throw e;
    }
  }

  /**
   * The fields a call reads from `input`, the argument `name` (undefined when it is no object:
   * the module says so).
   */
  function fieldValues(input, fields, name = "input") {
    const values = new Array(fields.length).fill(undefined);
    if (typeof input !== "object" || input === null || Array.isArray(input)) return [false, values];
    try {
      for (let i = 0; i < fields.length; i++) values[i] = own(input, fields[i]);
    } catch {
      throw invalidInput(name, "cannot be read");
    }
    return [true, values];
  }

  /** A response's status and body (`[status, strings, bytes]`), read as the network calls read one. */
  function responseParts(response) {
    const object = typeof response === "object" && response !== null;
    // A property that cannot be read is taken as absent (as the network calls' reader takes it).
    const prop = (key) => {
      try {
        return object ? response[key] : undefined;
      } catch {
        return undefined;
      }
    };
    const status = prop("status");
    if (!(Number.isInteger(status) && status >= 100 && status <= 599)) {
      throw invalidInput("response.status", "must be an HTTP status (100-599)");
    }
    const body = prop("body");
    let parts;
    if (typeof body === "string") {
      if (body.length > MAX_BODY) throw invalidInput("response.body", "is too long (more than 134,217,728 characters)");
      parts = [[body], undefined];
    } else if (body === undefined || body === null) {
      parts = [[""], undefined];
    } else {
      const bytes = body instanceof Uint8Array ? body : body instanceof ArrayBuffer ? new Uint8Array(body) : undefined;
      if (bytes === undefined) throw invalidInput("response.body", "must be a string or a Uint8Array");
      if (bytes.length > MAX_BODY) throw invalidInput("response.body", "is too large (more than 134,217,728 bytes)");
      parts = [[], bytes];
    }
    const headers = prop("headers");
    if (!(headers === undefined || headers === null || typeof headers === "object")) {
      throw invalidInput("response.headers", "must be a Headers object, an object or [name, value] pairs");
    }
    return [status, ...parts];
  }

  /**
   * The call's arguments as JSON text, for the module to find what its errors must not show:
   * `input`, one argument named `name`, or with `name` an array of names, the arguments
   * `input` holds (those beyond the names are not the call's). Refused first as the class's
   * other parsers refuse theirs (`unreadable`), so that nothing the network call would not
   * read is written into the module.
   */
  function inputText(input, name) {
    if (input === undefined || input === null) return undefined;
    const [args, names] = Array.isArray(name) ? [input.slice(0, name.length), name] : [[input], [name]];
    const refused = unreadable(args, names);
    if (refused !== undefined) throw invalidInput(...refused);
    try {
      return JSON.stringify(Array.isArray(name) ? args : input);
    } catch {
      throw invalidInput(names[0], "cannot be read");
    }
  }

  /**
   * Runs a parser's call for `response` and the call's `input` (its arguments, named `name`:
   * see `inputText`): `call(w, used, bodyLen, inputLen)` makes it. The arguments are read
   * first, as a network call reads them before anything else. Returns the output and the
   * call's return value.
   */
  function parseWith(response, input, call, name = "input") {
    const json = inputText(input, name);
    const [status, strings, bytes] = responseParts(response);
    const values = json === undefined ? strings : [...strings, json];
    const lens = (w, used, l) =>
      call(w, used, status, bytes === undefined ? l[0] : bytes.length, json === undefined ? ABSENT : l[l.length - 1]);
    return run(values, bytes, lens, Infinity);
  }

  return { errorClass, run, fieldValues, parseWith };
}

/** How the network calls' reading of JS arguments bounds them (src/wasm/convert.rs). */
const MAX_DEPTH = 32;
const MAX_VALUES = 2 ** 22;
const MAX_TEXT = 2 ** 24;
const TOO_LONG_WHY = "is too long (more than 16,777,216 bytes of UTF-8)";
const TOO_MUCH_WHY = "holds too much text (more than 16,777,216 bytes of strings and keys)";

/**
 * The length of `s` in UTF-8 (a lone surrogate as U+FFFD, three bytes), counted until it is
 * over `max` (then more than `max`), as the glue counts a string before handing it over.
 */
function utf8Length(s, max) {
  if (s.length > max) return s.length;
  let n = 0;
  for (let i = 0; i < s.length && n <= max; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      n += 1;
    } else if (c < 0x800) {
      n += 2;
    } else if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else {
      n += 3;
    }
  }
  return n;
}

/**
 * What the network calls' reading of JS arguments refuses in `args` (named `names`), as
 * src/wasm/convert.rs `walk` reads them, in its order: `[name, why]`, or undefined. Each
 * argument holds at most `MAX_VALUES` array elements and properties and `MAX_DEPTH` levels,
 * no string over `MAX_TEXT` bytes of UTF-8, no NaN or ±Infinity, no bytes, symbols or bigints;
 * all of them at most `MAX_TEXT` bytes of strings and keys. Own properties are read,
 * `undefined` and functions skipped, as there.
 */
function unreadable(args, names) {
  let text = MAX_TEXT;
  let values = 0;
  const string = (s) => {
    const n = utf8Length(s, MAX_TEXT);
    if (n > MAX_TEXT) return TOO_LONG_WHY;
    text -= n;
    return text < 0 ? TOO_MUCH_WHY : undefined;
  };
  const value = () => (--values < 0 ? "has more than 4,194,304 values (array elements and properties)" : undefined);
  function walk(v, depth) {
    if (depth > MAX_DEPTH) return "is nested too deeply";
    if (typeof v === "string") return string(v);
    if (typeof v === "number") return Number.isFinite(v) ? undefined : "must not contain NaN or Infinity";
    if (v === undefined || v === null || typeof v === "boolean") return undefined;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const why = value() ?? walk(v[i], depth + 1);
        if (why !== undefined) return why;
      }
      return undefined;
    }
    if (typeof v !== "object") return "has an unsupported type";
    if (v instanceof Uint8Array || v instanceof ArrayBuffer) return "must not contain bytes here";
    for (const key of Reflect.ownKeys(v)) {
      let why = value();
      if (why !== undefined) return why;
      if (typeof key !== "string") continue;
      why = string(key);
      if (why !== undefined) return why;
      const item = v[key];
      if (item === undefined || typeof item === "function") continue;
      why = walk(item, depth + 1);
      if (why !== undefined) return why;
    }
    return undefined;
  }
  for (let i = 0; i < args.length; i++) {
    if (args[i] === undefined || args[i] === null) continue;
    values = MAX_VALUES;
    let why;
    try {
      why = walk(args[i], 0);
    } catch {
      why = "cannot be read";
    }
    if (why !== undefined) return [names[i], why];
  }
  return undefined;
}

/** AlphaLearn's twins: every operation's (`OPS`). */
function leanAlphaLearn(AlphaLearn, { errorClass, run, fieldValues, parseWith }) {
  const check = instanceCheck(AlphaLearn, "AlphaLearn", errorClass);
  // `baseUrl` and `domain` of each client, read from the module once.
  const configs = new WeakMap();
  const configOf = (client) => {
    let cfg = configs.get(client);
    if (cfg === undefined) {
      check(client);
      const text = client.__lmsbConfig();
      const nul = text.indexOf("\0");
      cfg = nul < 0 ? [text, undefined] : [text.slice(0, nul), text.slice(nul + 1)];
      configs.set(client, cfg);
    }
    return cfg;
  };
  OPS.forEach(([name, fields], op) => {
    define(AlphaLearn.prototype, `build${name}`, function (input) {
      const [baseUrl, domain] = configOf(this);
      const positional = typeof input === "string" || typeof input === "number" ? input : 0;
      const [isObject, values] = fields === undefined ? [true, [positional]] : fieldValues(input, fields);
      const [out, count] = run([baseUrl, domain, ...values], undefined, (w, used, l) =>
        w.__lmsb_al_build(used, op, isObject, l[0], l[1], l[2] ?? ABSENT, l[3] ?? ABSENT, l[4] ?? ABSENT, l[5] ?? ABSENT),
        MAX_STRING_UNITS, 2, 2 + values.length);
      return request(decoder.decode(out), count, true);
    });
    define(AlphaLearn.prototype, `parse${name}`, function (response, input) {
      configOf(this);
      const [out] = parseWith(response, input, (w, used, status, bodyLen, inputLen) => w.__lmsb_al_parse(used, op, status, bodyLen, inputLen),
        fields === undefined ? "refreshToken" : "input");
      // login and loginWithThirdParty: the result's values; the others: its token.
      return op === 0 || op === 2 ? loginResult(loginValues(out)) : { token: decoder.decode(out) };
    });
  });
}

/** `buildSso`'s fields, in the order the module reads them (learnworlds/wire.rs `SSO_FIELDS`). */
const SSO_FIELDS = ["email", "userId", "username", "avatar", "redirectUrl"];

/** LearnWorlds' SSO twins, `buildSso` and `parseSso`, over the client's own lean calls. */
function leanLearnWorlds(LearnWorlds, { errorClass, run, fieldValues, parseWith }) {
  const check = instanceCheck(LearnWorlds, "LearnWorlds", errorClass);
  define(LearnWorlds.prototype, "buildSso", function (input, auth) {
    check(this);
    const [isObject, values] = fieldValues(input, SSO_FIELDS);
    // A number `userId` goes beside the lengths; `auth`, when given, must hold a string token.
    const id = values[1];
    const idIsNumber = typeof id === "number";
    if (idIsNumber) values[1] = undefined;
    values.push(accessToken(auth));
    const [out, count] = run(values, undefined, (w, used, l) =>
      this.__lmsbBuildSso(used, isObject, l[0], l[1], l[2], l[3], l[4], l[5], idIsNumber, idIsNumber ? id : 0),
      MAX_STRING_UNITS, 0, SSO_FIELDS.length);
    return request(decoder.decode(out), count, true);
  });
  define(LearnWorlds.prototype, "parseSso", function (response, input) {
    check(this);
    const [out, urlLength] = parseWith(response, input, (w, used, status, bodyLen, inputLen) => this.__lmsbParseSso(used, status, bodyLen, inputLen));
    return { url: decoder.decode(out.subarray(0, urlLength)), userId: decoder.decode(out.subarray(urlLength)) };
  });
}

/**
 * Miles Masterclass' builders, numbered as the module numbers them (miles_masterclass/wire.rs
 * `Op`), with their input's fields; `organization`'s follow those of `buildAutoSubscribe`.
 */
const MM_OPS = [
  ["AutoSubscribe", ["email", "firstName", "lastName", "lmsUserId", "organization"]],
  ["AccessControl", ["email", "action", "reason"]],
  ["CreateLoginUrl", ["email", "returnUrl"]],
];
const ORGANIZATION_FIELDS = ["id", "name"];

/** What `kinds` says beside the lengths (miles_masterclass/wire.rs). */
const LMS_USER_ID_NUMBER = 1;
const ORGANIZATION_ID_NUMBER = 2;
const ORGANIZATION_OBJECT = 4;

/**
 * Miles Masterclass' builders, `buildAutoSubscribe(input)`, `buildAccessControl(input)` and
 * `buildCreateLoginUrl(input)`, over the client's own lean call (`op` 0-2). A number
 * `lmsUserId` or `organization.id` goes beside the lengths, and so does whether
 * `organization` is an object.
 */
function leanMilesMasterclass(MilesMasterclass, { errorClass, run, fieldValues }) {
  const check = instanceCheck(MilesMasterclass, "MilesMasterclass", errorClass);
  MM_OPS.forEach(([name, fields], op) => {
    define(MilesMasterclass.prototype, `build${name}`, function (input) {
      check(this);
      const [isObject, values] = fieldValues(input, fields);
      let kinds = 0;
      let userId = 0;
      let organizationId = 0;
      if (op === 0) {
        if (typeof values[3] === "number") {
          kinds |= LMS_USER_ID_NUMBER;
          userId = values[3];
          values[3] = undefined;
        }
        const organization = values[4];
        const [isOrganization, [id, organizationName]] = fieldValues(organization, ORGANIZATION_FIELDS);
        if (isOrganization) {
          kinds |= ORGANIZATION_OBJECT;
          values[4] = undefined;
          if (typeof id === "number") {
            kinds |= ORGANIZATION_ID_NUMBER;
            organizationId = id;
          }
          values.push(typeof id === "number" ? undefined : id, organizationName);
        }
      }
      while (values.length < 7) values.push(undefined);
      const [out, count] = run(values, undefined, (w, used, l) =>
        this.__lmsbBuild(used, op, isObject, kinds, l[0], l[1], l[2], l[3], l[4], l[5], l[6], userId, organizationId),
        MAX_STRING_UNITS, 0, 7);
      return request(decoder.decode(out), count, true);
    });
  });
}

/** A learner's fields, in the order the module reads them (teach_on_mars/wire.rs `STRING_FIELDS`, then `segment`). */
const LEARNER_FIELDS = ["login", "firstname", "lastname", "email", "password", "lang", "segment"];

/**
 * Teach on Mars' learner twins, `buildCreateLearner(input, auth?)`,
 * `buildUpdateLearner(identifier, patch, auth?)` and their parsers, over the client's own
 * lean calls (`op` 0 and 1).
 */
function leanTeachOnMars(TeachOnMars, { errorClass, run, fieldValues, parseWith }) {
  const check = instanceCheck(TeachOnMars, "TeachOnMars", errorClass);
  ["CreateLearner", "UpdateLearner"].forEach((name, op) => {
    define(TeachOnMars.prototype, `build${name}`, function (...args) {
      check(this);
      const [identifier, learner, auth] = op === 1 ? args : [undefined, ...args];
      const [isObject, values] = fieldValues(learner, LEARNER_FIELDS, op === 1 ? "patch" : "input");
      values[6] = segmentText(values[6]);
      // The text budget counts the identifier and the six string fields: `segment`'s JSON
      // text is more than the strings the network call counts in it.
      const [out, count] = run([identifier, ...values, accessToken(auth)], undefined, (w, used, l) =>
        this.__lmsbBuildLearner(used, op, isObject, ...l), MAX_STRING_UNITS, 0, 7);
      return request(decoder.decode(out), count, true);
    });
    define(TeachOnMars.prototype, `parse${name}`, function (response, ...args) {
      check(this);
      const [out] = parseWith(response, args.length === 0 ? undefined : args, (w, used, status, bodyLen, inputLen) =>
        this.__lmsbParseLearner(used, op, status, bodyLen, inputLen), op === 1 ? ["identifier", "patch"] : ["input"]);
      return JSON.parse(decoder.decode(out));
    });
  });
}

/**
 * A learner's `segment` as the module reads it: its JSON text, or undefined when absent
 * (`undefined`, `null`, a function), or a value the module refuses: NaN when it holds a number
 * JSON has not (as the network calls refuse it), else not text when it has no JSON text.
 */
function segmentText(segment) {
  if (segment === undefined || segment === null || typeof segment === "function") return undefined;
  try {
    let finite = true;
    const text = JSON.stringify(segment, (_, v) => {
      if (typeof v === "number" && !Number.isFinite(v)) finite = false;
      return v;
    });
    if (!finite) return NaN;
    return typeof text === "string" ? text : 0;
  } catch {
    return 0;
  }
}

/**
 * `auth.accessToken` when it is a string, undefined without `auth` (the module then takes the
 * client's token), else a value the module refuses (not text).
 */
function accessToken(auth) {
  if (auth === undefined || auth === null) return undefined;
  let token;
  try {
    token = auth.accessToken;
  } catch {
    token = undefined;
  }
  return typeof token === "string" ? token : 0;
}

/** The length the module gives a login value the vendor left out (responses.rs `NO_VALUE`). */
const NO_VALUE = 0xffffffff;

/**
 * A login's fourteen values as the module writes them (`LoginFields::values_output`): their
 * lengths in UTF-16 units (little-endian, `NO_VALUE` for null), then their text, decoded once
 * and sliced. The ids are numbers.
 */
function loginValues(out) {
  const text = decoder.decode(out.subarray(56));
  const values = new Array(14);
  let at = 0;
  for (let i = 0; i < 14; i++) {
    const p = i * 4;
    const len = (out[p] | (out[p + 1] << 8) | (out[p + 2] << 16) | (out[p + 3] << 24)) >>> 0;
    if (len === NO_VALUE) {
      values[i] = null;
    } else {
      values[i] = text.slice(at, at + len);
      at += len;
    }
  }
  values[0] = Number(values[0]);
  values[10] = Number(values[10]);
  return values;
}

/** A login result from its values, in the order the module writes them. */
function loginResult(v) {
  return {
    user: {
      id: v[0],
      firstName: v[1],
      lastName: v[2],
      email: v[3],
      mobile: v[4],
      uniqueId: v[5],
      role: v[6],
      language: v[7],
      timezone: v[8],
      sessionToken: v[9],
      companyId: v[10],
      companyName: v[11],
    },
    token: v[12],
    refreshToken: v[13],
  };
}
