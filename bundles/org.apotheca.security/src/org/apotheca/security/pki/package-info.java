/**
 * Machine identities: a small certificate authority of our own, the certificates it issues to central, pharmacy
 * nodes and tills, PKCS12 keystores and secret files only their owner can read.
 */
package org.apotheca.security.pki;
