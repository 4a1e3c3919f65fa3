import { describe, expect, it } from "vitest";
import { installKeyOf, slugFromTeamName } from "../../src/slack/installationStore.ts";

describe("installations map teams to workspaces", () => {
  it("keys a team, or an org-wide install by its enterprise", () => {
    expect(installKeyOf({ teamId: "T1", enterpriseId: "E1", isEnterpriseInstall: false })).toBe("T:T1");
    expect(installKeyOf({ teamId: undefined, enterpriseId: "E1", isEnterpriseInstall: true })).toBe("E:E1");
  });

  it("makes a workspace slug from the team name", () => {
    expect(slugFromTeamName("Globex Corporation", "T1")).toBe("globex-corporation");
    expect(slugFromTeamName("Café Ünïcode & Co.", "T1")).toBe("cafe-unicode-co");
    expect(slugFromTeamName("日本", "T0ABC")).toBe("slack-t0abc");
    expect(slugFromTeamName(undefined, "T0ABC")).toBe("slack-t0abc");
  });
});
