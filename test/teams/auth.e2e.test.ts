import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { quietLogs } from "../schedule/support.ts";
import { personalMessage, TENANT_ACME } from "./support/activities.ts";
import { cardText } from "./support/cards.ts";
import { startTeamsHarness, type TeamsHarness } from "./support/harness.ts";
import { FakeTokenCredentialsFactory, OpenIdStub, parameterisedAuthentication } from "./support/openId.ts";

const APP_ID = "aaaaaaaa-1111-4222-8333-bbbbbbbbbbbb";
const PASSWORD = "test-client-secret-value";

describe("Teams with an app id: every inbound token checked by botbuilder", () => {
  let h: TeamsHarness;
  let openId: OpenIdStub;

  beforeAll(async () => {
    quietLogs();
    openId = await new OpenIdStub().start();
    h = await startTeamsHarness({
      env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: PASSWORD, MicrosoftAppTenantId: TENANT_ACME },
      botFramework: parameterisedAuthentication(openId),
      credentialsFactory: new FakeTokenCredentialsFactory(APP_ID, PASSWORD, TENANT_ACME),
    });
  });
  afterAll(async () => {
    await h?.close();
    await openId?.close();
  });
  afterEach(() => h.connector.clear());

  async function expectRefusedAndNothingRun(headers: Record<string, string>) {
    const message = personalMessage("help", { serviceUrl: h.connector.serviceUrl });
    const response = await h.post(message, headers);
    expect(response.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.connector.attempts).toBe(0);
    expect(await h.store.prisma.teamsConversation.count()).toBe(0);
  }

  it("401 without a token", async () => {
    await expectRefusedAndNothingRun({});
  });

  it("401 for a token meant for another app (wrong audience)", async () => {
    const token = await openId.token({
      audience: "ffffffff-0000-4000-8000-000000000000",
      serviceUrl: h.connector.serviceUrl,
    });
    await expectRefusedAndNothingRun({ authorization: `Bearer ${token}` });
  });

  it("401 for a token signed by a key the OpenID metadata does not list", async () => {
    const token = await openId.token({
      audience: APP_ID,
      serviceUrl: h.connector.serviceUrl,
      unknownKey: true,
      kid: "someone-elses-key",
    });
    await expectRefusedAndNothingRun({ authorization: `Bearer ${token}` });
  });

  it("401 for a forged signature under the listed key id", async () => {
    const token = await openId.token({
      audience: APP_ID,
      serviceUrl: h.connector.serviceUrl,
      unknownKey: true,
    });
    await expectRefusedAndNothingRun({ authorization: `Bearer ${token}` });
  });

  it("answers a correctly signed request, calling the Bot Connector with its own token", async () => {
    const message = personalMessage("help", { serviceUrl: h.connector.serviceUrl });
    const token = await openId.token({ audience: APP_ID, serviceUrl: h.connector.serviceUrl });
    const response = await h.post(message, { authorization: `Bearer ${token}` });
    expect(response.status).toBe(200);
    const [posted] = await h.connector.waitForPosts(1);
    expect(posted?.authorization).toBe("Bearer outbound-test-token");
    expect(cardText(posted?.activity.attachments[0].content)).toContain("How to ask Longtail");
  });
});
