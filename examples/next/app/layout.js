// The root layout Next.js requires (plain createElement: this repository has no JSX tooling).
import { createElement as h } from "react";

export default function RootLayout({ children }) {
  return h("html", { lang: "en" }, h("body", null, children));
}
