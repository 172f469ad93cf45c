/**
 * TLS 1.3 (JSSE) links: a gate that terminates TLS with client certificates in front of a loopback-only Net4j
 * acceptor, and the client side that carries a local Net4j connector over TLS.
 */
package org.apotheca.security.tls;
