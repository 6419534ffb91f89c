// `tls12 illustrate --pcap CAPTURE --keylog KEYLOG`: a TLS 1.2 connection
// between two other programs, read from a packet capture (pcap or pcapng) and
// decrypted with an NSS key log (SSLKEYLOGFILE), shown as the events of the
// engine: every record (RFC 5246 §6.2) with its plaintext, every handshake
// message field by field (§7.4), the key_block (§6.3) and the Finished
// values (§7.4.9). Passive: nothing is sent to anyone.
//
// The events go to the terminal trace, and with `-o FILE.html` to the
// illustrated page (illustrate/page.h) as well, drawn from the client's side.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>

#include "illustrate/page.h"
#include "illustrate/passive.h"
#include "illustrate/pcap.h"
#include "protocol/trace.h"
#include "tools/commands.h"

namespace tls12::tools {

namespace {

struct IllustrateArgs {
  std::string pcap;
  std::string keylog;
  std::optional<uint16_t> port;
  std::string trace = "bytes";
  std::string output;  // the illustrated page, when given
};

// The file whole, within `limit` bytes; std::runtime_error naming the file otherwise.
Bytes read_input(const std::string& path, size_t limit, const char* what) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error))
    throw std::runtime_error("cannot read " + std::string(what) + " " + path + ": it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + std::string(what) + " " + path);
  in.seekg(0, std::ios::end);
  const auto size = static_cast<size_t>(in.tellg());
  if (size > limit)
    throw std::runtime_error(std::string(what) + " " + path + " is " + std::to_string(size) +
                             " bytes, over the limit of " + std::to_string(limit));
  in.seekg(0);
  Bytes data(size);
  if (size != 0 && !in.read(reinterpret_cast<char*>(data.data()), static_cast<std::streamsize>(size)))
    throw std::runtime_error("cannot read " + std::string(what) + " " + path);
  return data;
}

// One line for what the trace renderer leaves to the page: records and the
// bytes that could not be decoded.
std::string render_extra(const protocol::Event& event, protocol::TraceLevel level) {
  const char* arrow = " > ";
  if (const auto* r = std::get_if<protocol::RecordSeen>(&event)) {
    if (r->direction == protocol::Direction::received) arrow = " < ";
    std::string line = std::string("client") + arrow + "record " +
                       record::content_type_name(static_cast<record::ContentType>(r->content_type)) + ", " +
                       std::to_string(r->wire.size()) + " bytes, seq " + std::to_string(r->sequence_number) +
                       (r->protection.empty() ? "" : ", " + r->protection + ", " + std::to_string(r->plaintext.size()) +
                                                         " bytes of plaintext") + "\n";
    if (r->content_type == static_cast<uint8_t>(record::ContentType::application_data) &&
        level >= protocol::TraceLevel::bytes)
      line += protocol::hex_lines(r->plaintext, "    ");
    return line;
  }
  if (const auto* u = std::get_if<protocol::Undecoded>(&event)) {
    if (u->direction == protocol::Direction::received) arrow = " < ";
    return std::string("client") + arrow + "undecoded, " + std::to_string(u->bytes.size()) + " bytes: " + u->reason +
           "\n";
  }
  return "";
}

// The page of the decoded connection. Its secrets come from the key log the
// user gave, so they are shown only with --trace=secrets, as on every page.
void write_capture_page(const IllustrateArgs& a, const illustrate::TcpConnection& connection,
                        const illustrate::Builder& page) {
  illustrate::PageOptions options;
  options.show_secrets = a.trace == "secrets";
  options.title = "A captured TLS 1.2 connection";
  options.subtitle = "Drawn by tls12 illustrate from " + std::filesystem::path(a.pcap).filename().string() + ": " +
                     connection.client.text() + " -> " + connection.server.text() + ", decrypted with its key log.";
  illustrate::write_page(a.output, page.recording(), options);
  std::cout << "page written to " << a.output << "\n";
}

int run_illustrate(const IllustrateArgs& a) {
  const std::optional<protocol::TraceLevel> level = protocol::parse_trace_level(a.trace);
  if (!level || *level < protocol::TraceLevel::bytes) {
    std::cerr << "tls12 illustrate: --trace must be bytes or secrets, not '" << a.trace << "'\n";
    return kExitUsage;
  }
  try {
    const illustrate::CaptureLimits limits;
    const Bytes capture = read_input(a.pcap, limits.max_capture_size, "capture");
    const Bytes keylog_text = read_input(a.keylog, size_t{16} << 20, "key log");
    const illustrate::KeyLog keylog = illustrate::KeyLog::parse(
        std::string_view(reinterpret_cast<const char*>(keylog_text.data()), keylog_text.size()));
    const illustrate::TcpConnection connection = illustrate::read_tcp_connection(capture, a.port, limits);
    std::cout << "connection " << connection.client.text() << " -> " << connection.server.text() << ": "
              << connection.segments << " TCP segments (" << connection.retransmitted << " retransmitted, "
              << connection.out_of_order << " out of order)\n";
    const protocol::TraceRenderer renderer(*level, "client");
    const illustrate::Builder page(illustrate::Perspective::client);
    const protocol::Observer print = [&](const protocol::Event& event) {
      if (!a.output.empty()) page.on_event(event);
      std::cout << renderer.render(event) << render_extra(event, *level);
    };
    const illustrate::PassiveSummary summary = illustrate::decode_passively(connection, keylog, print);
    if (!a.output.empty()) write_capture_page(a, connection, page);
    std::cout << summary.records << " records, " << summary.records_opened << " decrypted"
              << (summary.handshake_complete ? ", handshake complete" : "") << (summary.resumed ? " (resumed)" : "")
              << (summary.undecoded != 0 ? ", stopped early (see 'undecoded' above)" : "") << "\n";
    return summary.undecoded == 0 ? kExitOk : kExitFailed;
  } catch (const std::exception& e) {
    std::cerr << "tls12 illustrate: " << e.what() << "\n";
    return kExitUsage;
  }
}

}  // namespace

void add_illustrate_command(CLI::App& app) {
  auto args = std::make_shared<IllustrateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "illustrate",
      "Decode a captured TLS 1.2 connection with its NSS key log: every record, message, key and Finished.\n"
      "Capture with e.g. `tcpdump -i lo -w cap.pcap port 4433` while the client writes SSLKEYLOGFILE.\n"
      "Passive: nothing is sent. Only TLS 1.2 is decoded; a TLS 1.3 connection is named and not decrypted.");
  cmd->add_option("--pcap", args->pcap, "the capture: pcap or pcapng (Ethernet, loopback, raw IP, Linux cooked)")
      ->required();
  cmd->add_option("--keylog", args->keylog, "NSS key log (CLIENT_RANDOM lines), as SSLKEYLOGFILE or -keylogfile write")
      ->required();
  cmd->add_option("--port", args->port, "the TCP port of the connection (default: the first connection with a SYN)");
  cmd->add_option("--trace", args->trace, "bytes (default): every field and record; secrets: also the key_block");
  cmd->add_option("-o,--output", args->output,
                  "also write the illustrated page of the connection to this HTML file (its secrets only with "
                  "--trace=secrets)");
  cmd->callback([args] { exit_status() = run_illustrate(*args); });
}

}  // namespace tls12::tools
