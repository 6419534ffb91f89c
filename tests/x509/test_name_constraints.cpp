// Name constraints (RFC 5280 §4.2.1.10) form by form, on certificates built
// in memory: what each kind of subtree admits and refuses, wildcards as the
// set of names they match, URI hosts, mailboxes, directory-name prefixes,
// the common name of a leaf without SAN, and the comparison budget.
#include <gtest/gtest.h>

#include "x509/hostname.h"
#include "x509/name_constraints.h"
#include "x509/oid.h"

namespace tls12::x509 {
namespace {

GeneralSubtree subtree(GeneralSubtree::Form form, std::string text) {
  GeneralSubtree s;
  s.form = form;
  s.text = std::move(text);
  return s;
}
GeneralSubtree dns(std::string text) { return subtree(GeneralSubtree::Form::dns_name, std::move(text)); }

Name name_of(std::vector<std::pair<std::string_view, std::string>> rdns) {
  Name n;
  for (auto& [type, value] : rdns) n.rdns.push_back({AttributeTypeAndValue{std::string(type), value, 12}});
  return n;
}

Certificate with_dns(std::vector<std::string> names) {
  Certificate c;
  c.has_subject_alt_name = true;
  c.san_dns_names = std::move(names);
  return c;
}

std::optional<std::string> problem(const NameConstraints& nc, const Certificate& c, bool leaf = true) {
  size_t budget = kNameConstraintComparisons;
  return name_constraints_problem(nc, c, leaf, budget);
}

TEST(NameConstraints, DnsSubtreeAdmitsTheNameAndNamesBelowIt) {
  NameConstraints nc;
  nc.permitted = {dns("example.com")};
  EXPECT_FALSE(problem(nc, with_dns({"example.com"})));
  EXPECT_FALSE(problem(nc, with_dns({"WWW.Example.COM."})));
  EXPECT_EQ(problem(nc, with_dns({"badexample.com"})), "DNS name badexample.com is outside the permitted subtrees");
  nc.permitted = {dns("")};
  EXPECT_FALSE(problem(nc, with_dns({"anything.example"}))) << "the empty constraint is every name";
}

TEST(NameConstraints, WildcardIsTheSetOfNamesItMatches) {
  NameConstraints nc;
  nc.excluded = {dns("bad.example.com")};
  EXPECT_EQ(problem(nc, with_dns({"*.example.com"})), "DNS name *.example.com is inside an excluded subtree");
  nc.excluded = {dns("x.bad.example.com")};
  EXPECT_FALSE(problem(nc, with_dns({"*.example.com"}))) << "two labels below: no name of *.example.com";
  nc.excluded = {dns("example.com")};
  EXPECT_TRUE(problem(nc, with_dns({"*.example.com"})));
  nc.excluded = {};
  nc.permitted = {dns("www.example.com")};
  EXPECT_TRUE(problem(nc, with_dns({"*.example.com"}))) << "it matches names outside www.example.com";
  nc.permitted = {dns("example.com")};
  EXPECT_FALSE(problem(nc, with_dns({"*.example.com"})));
}

TEST(NameConstraints, CommonNameOfALeafWithoutSanIsADnsNameWhenItCanMatchAHost) {
  NameConstraints nc;
  nc.permitted = {dns("allowed.example")};
  Certificate leaf;
  leaf.subject = name_of({{oid::common_name, "localhost"}});
  EXPECT_EQ(problem(nc, leaf), "DNS name localhost is outside the permitted subtrees");
  EXPECT_FALSE(problem(nc, leaf, false)) << "only the leaf's CN names a host";
  leaf.subject = name_of({{oid::common_name, "tls12 test client"}});
  EXPECT_FALSE(problem(nc, leaf)) << "not a host name: the fallback could never match it either";
  leaf.subject = name_of({{oid::common_name, "localhost"}});
  leaf.san_ip_addresses = {*parse_ip_address("192.0.2.1")};
  leaf.has_subject_alt_name = true;
  EXPECT_FALSE(problem(nc, leaf)) << "with any subjectAltName the fallback never uses the CN";
}

TEST(NameConstraints, IpAddressesByPrefixAndFamily) {
  NameConstraints nc;
  GeneralSubtree ten;
  ten.form = GeneralSubtree::Form::ip_address;
  ten.ip_and_mask = {10, 0, 0, 0, 255, 0, 0, 0};
  nc.permitted = {ten};
  Certificate c;
  c.san_ip_addresses = {*parse_ip_address("10.9.8.7")};
  EXPECT_FALSE(problem(nc, c));
  c.san_ip_addresses = {*parse_ip_address("11.0.0.1")};
  EXPECT_EQ(problem(nc, c), "IP address 11.0.0.1 is outside the permitted subtrees");
  c.san_ip_addresses = {*parse_ip_address("::ffff:10.0.0.1")};
  EXPECT_TRUE(problem(nc, c)) << "an IPv6 address is never inside an IPv4 subtree";
}

TEST(NameConstraints, MailboxesHostsAndDomains) {
  NameConstraints nc;
  Certificate c;
  c.has_subject_alt_name = true;
  c.san_rfc822_names = {"Bob@Mail.Example.com"};
  for (const char* ok : {"Bob@mail.example.com", "mail.example.com", ".example.com"}) {
    nc.permitted = {subtree(GeneralSubtree::Form::rfc822_name, ok)};
    EXPECT_FALSE(problem(nc, c)) << ok;
  }
  for (const char* bad : {"bob@mail.example.com", "example.com", ".mail.example.com"}) {
    nc.permitted = {subtree(GeneralSubtree::Form::rfc822_name, bad)};
    EXPECT_TRUE(problem(nc, c)) << bad;
  }
  Certificate no_san;
  no_san.subject = name_of({{oid::email_address, "eve@evil.example"}});
  nc.permitted = {subtree(GeneralSubtree::Form::rfc822_name, "example.com")};
  EXPECT_EQ(problem(nc, no_san), "e-mail address eve@evil.example is outside the permitted subtrees")
      << "without SAN the subject's emailAddress is constrained";
}

TEST(NameConstraints, UriHosts) {
  EXPECT_EQ(uri_host("https://user@www.example.com:8443/path?q#f"), "www.example.com");
  EXPECT_FALSE(uri_host("urn:isbn:123"));
  EXPECT_FALSE(uri_host("https://[::1]/"));
  EXPECT_FALSE(uri_host("https://10.0.0.1/"));
  NameConstraints nc;
  nc.permitted = {subtree(GeneralSubtree::Form::uri, "example.com")};
  Certificate c;
  c.has_subject_alt_name = true;
  c.san_uris = {"https://example.com/"};
  EXPECT_FALSE(problem(nc, c));
  c.san_uris = {"https://www.example.com/"};
  EXPECT_TRUE(problem(nc, c)) << "a URI host constraint without a period is that host only";
  nc.permitted = {};
  nc.excluded = {subtree(GeneralSubtree::Form::uri, ".evil.example")};
  c.san_uris = {"mailto:x"};
  EXPECT_TRUE(problem(nc, c)) << "a URI with no host may be inside an excluded subtree";
}

TEST(NameConstraints, DirectoryNamesByRdnPrefix) {
  NameConstraints nc;
  GeneralSubtree dir;
  dir.form = GeneralSubtree::Form::directory_name;
  dir.directory_name = name_of({{oid::country_name, "US"}, {oid::organization_name, "Example"}});
  nc.permitted = {dir};
  Certificate c;
  c.subject = name_of({{oid::country_name, "US"}, {oid::organization_name, "example"}, {oid::common_name, "x"}});
  EXPECT_FALSE(problem(nc, c)) << "RFC 5280 §7.1: case-insensitive";
  c.subject = name_of({{oid::country_name, "US"}, {oid::common_name, "x"}});
  EXPECT_TRUE(problem(nc, c));
  c.subject = {};
  c.has_subject_alt_name = true;
  c.san_directory_names = {name_of({{oid::country_name, "FR"}})};
  EXPECT_TRUE(problem(nc, c)) << "SAN directoryNames are constrained too";
}

TEST(NameConstraints, FormsWithoutConstraintsAreUnaffectedAndUnprocessableFormsAreNamed) {
  NameConstraints nc;
  nc.permitted = {dns("example.com")};
  Certificate c = with_dns({"www.example.com"});
  c.san_ip_addresses = {*parse_ip_address("192.0.2.1")};
  EXPECT_FALSE(problem(nc, c));
  EXPECT_FALSE(unprocessable_name_constraint(nc));
  GeneralSubtree other;
  other.tag = 0;
  nc.excluded = {other};
  EXPECT_EQ(unprocessable_name_constraint(nc), "otherName [0]");
}

TEST(NameConstraints, BudgetRunsOut) {
  NameConstraints nc;
  nc.permitted = {dns("a.example"), dns("b.example"), dns("example.com")};
  Certificate c = with_dns({"x.example.com", "y.example.com"});
  size_t budget = 5;  // 3 + 3 comparisons needed
  EXPECT_EQ(name_constraints_problem(nc, c, true, budget),
            "needs more than 250000 name comparisons (a tls12 work limit) to be checked against the subtrees");
  budget = 6;
  EXPECT_FALSE(name_constraints_problem(nc, c, true, budget));
  EXPECT_EQ(budget, 0u);
}

}  // namespace
}  // namespace tls12::x509
