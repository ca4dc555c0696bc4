// ---- AlphaLearn ----

export interface AlphaLearnOptions extends ClientOptions {
  /** Default "https://api.alphalearn.com/v3"; https (http only on loopback). */
  baseUrl?: string;
  /** The company's custom domain, a bare host name ("lms.example.com", optional ":port"). */
  domain?: string;
}

export interface AlphaLearnUser {
  id: number;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  mobile: string | null;
  uniqueId: string;
  /** e.g. "Trainee". */
  role: string | null;
  /** e.g. "en-US". */
  language: string | null;
  /** e.g. "Asia/Kolkata". */
  timezone: string | null;
  /** A secret: never log it. */
  sessionToken: string | null;
  companyId: number;
  companyName: string | null;
}

export interface AlphaLearnLoginInput {
  email: string;
  password: string;
  /** Overrides the client's domain for this call. */
  domain?: string;
}

export interface AlphaLearnLoginResult {
  user: AlphaLearnUser;
  /** The JWT (60 minutes). */
  token: string;
  /** The refresh token (90 days); the vendor's `refresh-token`. */
  refreshToken: string;
}

export interface AlphaLearnRefreshResult {
  /** The new JWT (the refresh token stays the same). */
  token: string;
}

export interface AlphaLearnThirdPartyInput {
  provider: "google";
  /** The Google token. */
  token: string;
}

export interface AlphaLearnForgotPasswordInput {
  email: string;
  domain?: string;
  /** true: AlphaLearn e-mails the user (sent as 1); false/absent: it does not (2). */
  sendEmailNotification?: boolean;
  /** Your own https page; must contain the literal "{token}". */
  overrideEmailUrl?: string;
}

export interface AlphaLearnForgotPasswordResult {
  /** The password-reset token: keep it server-side. */
  token: string;
}

export interface AlphaLearnJwtFormInput {
  /** The company's custom domain (loopback hosts get http://). */
  domain: string;
  /** The user's JWT. */
  token: string;
  /** "admin" (admin/manager) → "1", "trainee" → "2". */
  type: "admin" | "trainee";
  /** A positive safe integer, or a string of digits. */
  enrollmentId: number | string;
}

/** What loginByJwtForm returns; renderAutoSubmitForm and submitForm accept any POST form of string fields. */
export interface AlphaLearnJwtForm {
  action: string;
  method: "POST";
  fields: { token: string; type: "1" | "2"; inputData: string } | Record<string, string>;
}

export interface AlphaLearnSessionTokens {
  token: string;
  refreshToken: string;
  /** Unix ms; default: the JWT's `exp`, else now + 60 minutes. */
  expiresAt?: number;
}
