// The organisation's policy, read once from Rust (which enforces it: these only show it). Controls a
// policy fixes are shown set and disabled with "Set by your organisation".
import { api, type PolicyView } from "./api";

export const SET_BY_ORGANISATION = "Set by your organisation";

class OrgPolicy {
  view = $state<PolicyView | null>(null);

  async load(): Promise<void> {
    try {
      this.view = await api.policyStatus();
    } catch {
      // An app without the command (tests with a partial mock) has no policy to show.
      this.view = null;
    }
  }

  fixes(key: string): boolean {
    return this.view?.fixed.includes(key) ?? false;
  }
}

export const orgPolicy = new OrgPolicy();
