// The map's JSON and CSV: the documented fields (docs/machine-map.md), valid JSON whatever a
// command name holds, RFC 4180 quoting.
#include "cli/map_output.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace socklens;

namespace {

sysmap::MachineMap oneSharedListener() {
    sysmap::MachineMap map;
    sysmap::MapSocket socket;
    socket.kernel.inode = 4242;
    socket.kernel.kind = "tcp";
    socket.kernel.local = "127.0.0.1:8080";
    socket.kernel.state = "LISTEN";
    socket.kernel.sendQueue = 128;
    socket.kernel.receiveBuffer = 131072;
    const auto server = std::make_shared<const sysmap::HolderProcess>(
        sysmap::HolderProcess{1, 7, "odd \"name\",\n", "./server --port 8080"});
    socket.holders.push_back(sysmap::MapHolder{100, 3, {false, true, false}, server});
    socket.holders.push_back(sysmap::MapHolder{101, 3, {true, false, false}, server});
    sysmap::EpollInterest interest;
    interest.targetFd = 3;
    interest.events = 0x1;
    socket.epoll.push_back(sysmap::MapRegistration{101, "server", 5, interest});
    map.sockets.push_back(socket);
    map.unreadable.push_back(sysmap::UnreadableProcess{{812, 1, "sshd", 0, false}, "because"});
    return map;
}

} // namespace

TEST(MapOutput, JsonHasTheDocumentedFieldsAndEscapesNames) {
    std::ostringstream out;
    cli::writeMapJson(oneSharedListener(), out);
    const nlohmann::json json = nlohmann::json::parse(out.str());
    EXPECT_EQ(json["format"], "socklens-machine-map");
    const nlohmann::json& socket = json["sockets"].at(0);
    EXPECT_EQ(socket["inode"], 4242);
    EXPECT_EQ(socket["kind"], "tcp");
    EXPECT_EQ(socket["local"], "127.0.0.1:8080");
    EXPECT_EQ(socket["peer"], "");
    EXPECT_EQ(socket["state"], "LISTEN");
    EXPECT_EQ(socket["count"], 2);
    EXPECT_EQ(socket["processes"], 2);
    EXPECT_EQ(socket["send_queue"], 128);
    EXPECT_EQ(socket["receive_buffer"], 131072);
    EXPECT_FALSE(socket.contains("send_buffer")); // not told: absent, not a made-up 0
    const nlohmann::json& holder = socket["holders"].at(0);
    EXPECT_EQ(holder["pid"], 100);
    EXPECT_EQ(holder["command"], "odd \"name\",\n");
    EXPECT_EQ(holder["fd"], 3);
    EXPECT_EQ(holder["cloexec"], false);
    EXPECT_EQ(holder["nonblocking"], true);
    EXPECT_EQ(holder["ppid"], 1);
    EXPECT_EQ(holder["cmdline"], "./server --port 8080");
    EXPECT_EQ(socket["holders"].at(1)["cloexec"], true);
    EXPECT_EQ(socket["holders"].at(1)["command"], "odd \"name\",\n");
    EXPECT_EQ(socket["epoll"].at(0)["read"], true);
    EXPECT_EQ(socket["epoll"].at(0)["write"], false);
    EXPECT_EQ(json["unreadable"].at(0)["pid"], 812);
    EXPECT_EQ(json["unreadable"].at(0)["why"], "because");
}

TEST(MapOutput, EveryHolderCarriesItsOwnProcessFields) {
    // The process fields are written once per process and reused for its other descriptors:
    // two processes with their own names must not borrow each other's.
    sysmap::MachineMap map = oneSharedListener();
    sysmap::MapSocket other;
    other.kernel.inode = 4343;
    other.kernel.kind = "unix";
    const auto worker = std::make_shared<const sysmap::HolderProcess>(
        sysmap::HolderProcess{100, 9, "worker", "./worker \\x"});
    other.holders.push_back(sysmap::MapHolder{102, 4, {}, worker});
    other.holders.push_back(map.sockets[0].holders[0]);
    map.sockets.push_back(other);
    std::ostringstream out;
    cli::writeMapJson(map, out);
    const nlohmann::json json = nlohmann::json::parse(out.str());
    const nlohmann::json& holders = json["sockets"].at(1)["holders"];
    EXPECT_EQ(holders.at(0)["command"], "worker");
    EXPECT_EQ(holders.at(0)["ppid"], 100);
    EXPECT_EQ(holders.at(0)["cmdline"], "./worker \\x");
    EXPECT_EQ(holders.at(1)["command"], "odd \"name\",\n");
    EXPECT_EQ(holders.at(1)["cmdline"], "./server --port 8080");
}

TEST(MapOutput, CsvHasARowPerHolderAndQuotesWhatNeedsIt) {
    std::ostringstream out;
    cli::writeMapCsv(oneSharedListener(), out);
    const std::string csv = out.str();
    EXPECT_EQ(csv.rfind("inode,kind,state,local,peer,count,pid,command,fd,cloexec,", 0), 0u);
    EXPECT_NE(csv.find("4242,tcp,LISTEN,127.0.0.1:8080,,2,100,\"odd \"\"name\"\",\n\",3,false,"
                       "true,false,0,128,131072,,\r\n"),
              std::string::npos)
        << csv;
    EXPECT_NE(csv.find(",101,"), std::string::npos);
}
