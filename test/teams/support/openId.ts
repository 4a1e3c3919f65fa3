import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { MicrosoftAppCredentials, PasswordServiceClientCredentialFactory } from "botframework-connector";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";

/** The issuer Bot Framework channel tokens carry. */
export const CHANNEL_ISSUER = "https://api.botframework.com";

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

/**
 * Bot Framework's token-signing side on loopback: an OpenID configuration whose jwks_uri lists one
 * RSA key, and tokens signed with it (or with a key it does not list), as Teams' channel sends them.
 */
export class OpenIdStub {
  private server!: Server;
  private signing!: KeyPair;
  private stranger!: KeyPair;
  metadataUrl = "";

  async start(): Promise<this> {
    this.signing = await generateKeyPair("RS256", { extractable: true });
    this.stranger = await generateKeyPair("RS256", { extractable: true });
    const jwk: JWK = { ...(await exportJWK(this.signing.publicKey)), kid: "longtail-test-key", use: "sig" };
    this.server = createServer((req, res) => {
      const base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
      const body =
        req.url === "/keys"
          ? { keys: [{ ...jwk, endorsements: ["msteams"] }] }
          : {
              issuer: CHANNEL_ISSUER,
              jwks_uri: `${base}/keys`,
              id_token_signing_alg_values_supported: ["RS256"],
            };
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.metadataUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1/.well-known/openidconfiguration`;
    return this;
  }

  /**
   * A channel token for `audience` about `serviceUrl`. `unknownKey` signs it with a key the JWKS does
   * not hold, under the listed key id (a forged signature) or under `kid`.
   */
  token(claims: {
    audience: string;
    serviceUrl: string;
    unknownKey?: boolean;
    kid?: string;
  }): Promise<string> {
    const key = claims.unknownKey ? this.stranger.privateKey : this.signing.privateKey;
    return new SignJWT({ serviceurl: claims.serviceUrl })
      .setProtectedHeader({ alg: "RS256", kid: claims.kid ?? "longtail-test-key", typ: "JWT" })
      .setIssuer(CHANNEL_ISSUER)
      .setAudience(claims.audience)
      .setIssuedAt()
      .setNotBefore("0s")
      .setExpirationTime("5m")
      .sign(key);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The bot's own token for calling the Bot Connector, without asking Microsoft for one. */
class FakeTokenCredentials extends MicrosoftAppCredentials {
  override async getToken(): Promise<string> {
    return "outbound-test-token";
  }
}

/** Accepts the app id and password like botbuilder's own factory; its credentials carry a fake token. */
export class FakeTokenCredentialsFactory extends PasswordServiceClientCredentialFactory {
  override async createCredentials(appId: string, audience: string): Promise<MicrosoftAppCredentials> {
    return new FakeTokenCredentials(appId, "", undefined, audience);
  }
}

/** botbuilder's parameterised authentication settings pointing inbound validation at the stub. */
export function parameterisedAuthentication(stub: OpenIdStub): Record<string, string> {
  return {
    ToBotFromChannelOpenIdMetadataUrl: stub.metadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: stub.metadataUrl,
    ToBotFromChannelTokenIssuer: CHANNEL_ISSUER,
    ToChannelFromBotLoginUrl: "https://login.microsoftonline.com/botframework.com",
    ToChannelFromBotOAuthScope: "https://api.botframework.com",
    OAuthUrl: "https://api.botframework.com",
    CallerId: "urn:botframework:azure",
    ValidateAuthority: "true",
  };
}
