package org.apotheca.security.tls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;

import org.apotheca.security.pki.CertificateAuthority;
import org.apotheca.security.pki.MachineIdentity;
import org.apotheca.security.pki.Revocation;

/**
 * The checks every gate in front of one of our authorities makes, in this order: the certificate names a machine of
 * ours, of a kind this gate lets in, not revoked, within its dates; then {@link #admitMachine} for the gate's own rule
 * (central: a pharmacy it hosts; a node: a till of its own pharmacy). The handshake itself has already proved that
 * the authority signed the certificate and that the peer holds its key.
 */
public abstract class AuthorityGatekeeper implements Gatekeeper {

  private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

  private final CertificateAuthority authority;
  private final Set<MachineIdentity.Kind> kinds;
  private final Clock clock;

  protected AuthorityGatekeeper(CertificateAuthority authority, Set<MachineIdentity.Kind> kinds, Clock clock) {
    this.authority = authority;
    this.kinds = Set.copyOf(kinds);
    this.clock = clock;
  }

  @Override
  public final Object admit(X509Certificate peer, InetSocketAddress from, String verb) throws Refusal {
    MachineIdentity who;
    try {
      who = MachineIdentity.of(peer);
    } catch (IllegalArgumentException e) {
      throw new Refusal("UNKNOWN", "this certificate does not name an Apotheca machine");
    }
    try {
      if (!kinds.contains(who.kind())) {
        throw new Refusal("NOT_ALLOWED", "a certificate of " + who + " does not open this door");
      }
      if (authority.isRevoked(peer)) {
        String when = authority.revocation(who).map(Revocation::at).map(at -> " on " + DAY.format(at)).orElse("");
        throw new Refusal("REVOKED", revokedSentence(who, when));
      }
      Gatekeeper.checkDates(peer, clock.instant());
      return admitMachine(who);
    } catch (Refusal r) {
      refused(who, r);
      throw r;
    }
  }

  /**
   * Told of every refusal of a certificate that names one of our machines, before the refusal reaches it (central's
   * site board shows why a pharmacy cannot connect). Must not throw; the default does nothing.
   */
  protected void refused(MachineIdentity who, Refusal refusal) {
  }

  /** What a person at the refused machine reads; {@code when} is " on yyyy-mm-dd" or empty. */
  protected abstract String revokedSentence(MachineIdentity who, String when);

  /** @return the identity kept with the tunnel; throw a Refusal for the gate's own rule */
  protected abstract Object admitMachine(MachineIdentity who) throws Refusal;

  /**
   * A free port on 127.0.0.1 for the Net4j acceptor behind a gate: Net4j does not report the port it bound to, so the
   * gate must know it before. (Another process could take it in between; the acceptor then fails at start, loudly.)
   */
  public static int freeLoopbackPort() throws IOException {
    return LoopbackPorts.free();
  }
}
