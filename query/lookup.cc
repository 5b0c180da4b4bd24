#include "query/lookup.h"

#include "storage/time_parse.h"

namespace hark {
namespace {

Status FindOne(IndexReader& index, const std::string& id, const std::string& source, std::vector<Record>* found) {
  HARK_RETURN_IF_ERROR(index.FindById(id, source, found));
  if (found->empty()) {
    return Status::NotFound("no record with id '" + id + "'" + (source.empty() ? "" : " in source '" + source + "'"));
  }
  return Status::Ok();
}

void WriteRecordsCsv(const std::vector<Record>& records, std::ostream& out) {
  WriteCsvRow(out, {"id", "source", "time", "author", "role", "brand", "channel", "thread", "parent", "title", "text"});
  for (const Record& r : records) {
    WriteCsvRow(out, {r.id, r.source, FormatTime(r.time), r.author, std::string(RoleName(r.role)), r.brand, r.channel,
                      r.thread, r.parent, r.title, r.text});
  }
}

void WriteRecordText(const Record& r, std::ostream& out, const std::string& indent) {
  out << indent << FormatTime(r.time) << "  " << r.source << ":" << r.id;
  if (!r.author.empty()) out << "  @" << r.author;
  if (r.role != Role::kUnknown) out << " (" << RoleName(r.role) << ")";
  if (!r.brand.empty()) out << "  brand " << r.brand;
  if (!r.channel.empty()) out << "  " << r.channel;
  if (r.score) out << "  score " << *r.score;
  if (r.accepted.value_or(false)) out << "  accepted";
  out << "\n";
  if (!r.parent.empty()) out << indent << "  in reply to " << r.parent << "\n";
  if (!r.title.empty()) out << indent << "  " << r.title << "\n";
  std::string line;
  for (char c : r.text + "\n") {
    if (c == '\n') {
      out << indent << "  " << line << "\n";
      line.clear();
    } else {
      line += c;
    }
  }
}

}  // namespace

Status RunShow(IndexReader& index, const std::string& id, const std::string& source, const RenderOptions& render,
               std::ostream& out) {
  std::vector<Record> found;
  HARK_RETURN_IF_ERROR(FindOne(index, id, source, &found));
  if (render.format == OutputFormat::kJson) {
    nlohmann::json list = nlohmann::json::array();
    for (const Record& r : found) list.push_back(RecordJson(r));
    WriteJson(out, {{"records", list}});
  } else if (render.format == OutputFormat::kCsv) {
    WriteRecordsCsv(found, out);
  } else {
    for (const Record& r : found) {
      WriteRecordText(r, out, "");
      out << "  thread " << r.thread << "\n\n";
    }
  }
  return Status::Ok();
}

Status RunThread(IndexReader& index, const std::string& id, const std::string& source, const RenderOptions& render,
                 std::ostream& out) {
  std::vector<Record> found;
  HARK_RETURN_IF_ERROR(FindOne(index, id, source, &found));
  if (found.size() > 1) {
    std::string sources;
    for (const Record& r : found) sources += " " + r.source;
    return Status::InvalidArgument("id '" + id + "' exists in several sources (" + sources.substr(1) +
                                   "); choose one with --source");
  }
  const Record& anchor = found.front();
  std::vector<Record> messages;
  HARK_RETURN_IF_ERROR(index.Thread(anchor.source, anchor.thread, &messages));
  if (render.format == OutputFormat::kJson) {
    nlohmann::json list = nlohmann::json::array();
    for (const Record& r : messages) list.push_back(RecordJson(r));
    WriteJson(out, {{"thread", anchor.thread}, {"source", anchor.source}, {"count", messages.size()}, {"messages", list}});
  } else if (render.format == OutputFormat::kCsv) {
    WriteRecordsCsv(messages, out);
  } else {
    out << "thread " << anchor.thread << " (" << anchor.source << "), " << messages.size() << " messages\n\n";
    for (const Record& r : messages) {
      WriteRecordText(r, out, r.id == anchor.id ? "> " : "  ");
      out << "\n";
    }
  }
  return Status::Ok();
}

}  // namespace hark
