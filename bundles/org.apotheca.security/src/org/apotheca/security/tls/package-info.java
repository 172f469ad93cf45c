/**
 * TLS 1.3 (JSSE) links: a gate that terminates TLS with client certificates in front of a loopback-only Net4j
 * acceptor, and the client side that carries a local Net4j connector over TLS.
 *
 * <p>Why not Net4j's own SSL transport: it is broken. So Net4j speaks plain TCP on loopback at both ends, and this
 * package carries the bytes in between:
 *
 * <pre>
 * Net4j TCP connector -&gt; 127.0.0.1:forwarder ({@link org.apotheca.security.tls.TlsLink.Forwarder})
 *   == TLS 1.3, client certificate ==&gt; {@link org.apotheca.security.tls.TlsGate} -&gt; 127.0.0.1:Net4j acceptor
 * </pre>
 *
 * <p>The protocol after the handshake: the client speaks first, one UTF-8 line ending in '\n', at most 16 KB,
 * within the gate's handshake timeout: {@code APOTHECA/1 <VERB>[ <argument>]}. The gate answers with one line:
 * <ul>
 * <li>{@code OK} for CONNECT, then both sides pump raw bytes until either closes;</li>
 * <li>{@code REFUSED <CODE> <a sentence for a person>} and closes (REVOKED, EXPIRED, UNKNOWN, NOT_ALLOWED, BUSY,
 * BAD_REQUEST, UNAVAILABLE ...);</li>
 * <li>for any other verb, the {@link org.apotheca.security.tls.Gatekeeper}'s one-line answer (e.g.
 * {@code CERT <base64>}), and closes.</li>
 * </ul>
 *
 * <p>Who decides what: the handshake checks only that the pinned authority signed the peer's certificate
 * ({@link org.apotheca.security.tls.TlsContexts}); the client also checks the server certificate's dates. The
 * {@link org.apotheca.security.tls.Gatekeeper} decides everything else about a client (dates, revocation, what it
 * may ask for) on every connection, so a refused till gets a sentence to show instead of a bare TLS alert.
 */
package org.apotheca.security.tls;
