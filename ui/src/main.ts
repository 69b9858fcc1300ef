import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";
import "./polish.css";

// The quick-copy window loads the same page with "#quick" and shows only its search list.
const target = document.getElementById("app")!;
if (location.hash === "#quick") {
  void import("./QuickCopy.svelte").then((m) => mount(m.default, { target }));
} else {
  mount(App, { target });
}
