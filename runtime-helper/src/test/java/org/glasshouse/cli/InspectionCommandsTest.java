package org.glasshouse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.glasshouse.helper.inspect.Capabilities;
import org.glasshouse.protocol.Json;
import org.junit.jupiter.api.Test;

class InspectionCommandsTest {

  static JsonNode json(String s) throws Exception {
    return Json.MAPPER.readTree(s.replace('\'', '"'));
  }

  @Test
  void inspectMarksNamespacesThatDifferAndShowsLimitsInAbsoluteUnits() throws Exception {
    JsonNode r =
        json(
            "{'target':'3f9a0c11b2d4','pid':42,'gone':false,"
                + "'namespaces':{'mnt':{'inode':5,'hostInode':4,'sameAsHost':false,'sharers':1,'sharedWith':[42]},"
                + "'user':{'inode':7,'hostInode':7,'sameAsHost':true,'sharers':90,'sharedWith':[1]}},"
                + "'processes':[{'pid':42,'nsPids':[42,1],'ppid':7,'name':'sh','cmdline':['/bin/sh'],"
                + "'state':'S','uids':[0,0,0,0],'gids':[0,0,0,0],'capabilities':{'bounding':['chown','kill']},"
                + "'noNewPrivs':true,'seccompMode':'disabled'}],"
                + "'cgroup':{'v1':{'memory':'/sys/fs/cgroup/memory/g'},'stats':{'version':'v1',"
                + "'memory':{'usageBytes':12582912,'limitBytes':67108864,'oomKills':1},"
                + "'pids':{'current':3,'max':64,'rejected':2}}},"
                + "'network':{'hostname':'3f9a0c11b2d4','interfaces':[{'name':'lo','state':'DOWN','flags':['LOOPBACK'],'mtu':65536,'addresses':[]}]},"
                + "'mounts':{'count':9,'overmounted':0,'rootSource':'overlay','rootFsType':'overlay','root':'/','addedVsHost':8,'removedVsHost':20}}");
    String text = InspectCommand.render(r);
    assertTrue(text.contains("* mnt"), text);
    assertTrue(text.contains("(differs from host)"), text);
    assertTrue(text.contains("  user"), text);
    assertTrue(text.contains("42→1"), text);
    assertTrue(text.contains("12.0 MiB / 64.0 MiB"), text);
    assertTrue(text.contains("OOM kills 1"), text);
    assertTrue(text.contains("pids     3 / 64, rejected forks 2"), text);
    assertTrue(text.contains("no_new_privs 1, seccomp disabled\n"), text);
    assertTrue(!text.contains("memory+"), "no bonus control known, no bonus line: " + text);
    String filtered =
        InspectCommand.render(
            json(
                "{'target':'x','pid':9,'gone':false,'processes':[{'pid':9,'nsPids':[9,1],"
                    + "'capabilities':{'bounding':[]},'noNewPrivs':true,'seccomp':2,"
                    + "'seccompMode':'filter','seccompFilters':1}]}"));
    assertTrue(filtered.contains("no_new_privs 1, seccomp filter (1 filter)"), filtered);
    assertTrue(text.contains("root is not an overlay"), text);
    assertTrue(InspectCommand.render(json("{'target':'x','pid':9,'gone':true}")).contains("gone"));
    String upper =
        InspectCommand.render(
            json(
                "{'target':'x','pid':9,'gone':false,'upperDir':["
                    + "{'path':'etc/gone','kind':'whiteout','size':0,'uid':0,'gid':0,'mode':'0000'},"
                    + "{'path':'var','kind':'dir','size':4096,'uid':0,'gid':0,'mode':'0755','opaque':true},"
                    + "{'path':'new','kind':'file','size':2048,'uid':1000,'gid':1000,'mode':'0644'}]}"));
    assertTrue(upper.contains("etc/gone  (deleted from the image)"), upper);
    assertTrue(upper.contains("var  (opaque"), upper);
    assertTrue(upper.contains(" 1000:1000 "), upper);
    assertTrue(upper.contains("2.00 KiB  new"), upper);
  }

  @Test
  void upperDirPathsAndProcessNamesTheContainerChoseAreEscaped() throws Exception {
    String text =
        InspectCommand.text(
            json(
                "{'target':'x','pid':9,'gone':false,"
                    + "'processes':[{'pid':9,'nsPids':[9,1],'name':'\\u001b[2Jsh',"
                    + "'cmdline':['sh','\\u001b]0;owned\\u0007'],'capabilities':{'bounding':[]}}],"
                    + "'upperDir':[{'path':'tmp/\\u001b[31mred\\nfake line','kind':'file',"
                    + "'size':1,'uid':0,'gid':0,'mode':'0644'}]}"));
    assertTrue(text.chars().noneMatch(c -> c == 0x1b || c == 7), text);
    assertTrue(text.contains("red\\nfake line"), "the newline is shown, not made: " + text);
  }

  @Test
  void longCapabilitySetsReadAsWhatIsMissing() {
    List<String> all = new java.util.ArrayList<>(Capabilities.NAMES);
    assertEquals("all", InspectCommand.capabilityList(all));
    all.remove("sys_resource");
    assertEquals("all but sys_resource", InspectCommand.capabilityList(all));
    assertEquals("chown kill", InspectCommand.capabilityList(List.of("chown", "kill")));
  }

  @Test
  void statsTableLikeDockerStats() throws Exception {
    String t =
        StatsCommand.render(
            json(
                "{'containers':[{'container':'3f9a0c11b2d4','sample':{'timeMs':1,'pid':42,'gone':false,"
                    + "'cpuPercent':49.5,'cgroup':{'memory':{'usageBytes':1048576,'limitBytes':4194304},"
                    + "'pids':{'current':3},'cpu':{'throttledNs':2000000}}}},"
                    + "{'container':'aaaaaaaaaaaa','sample':{'timeMs':1,'pid':43,'gone':true}}]}"));
    String[] lines = t.split("\n");
    assertTrue(lines[0].startsWith("CONTAINER"), t);
    assertTrue(lines[1].contains("49.50%"), t);
    assertTrue(lines[1].contains("1.00 MiB / 4.00 MiB"), t);
    assertTrue(lines[1].contains("25.0%"), t);
    assertTrue(lines[1].contains("3 / max"), t);
    assertTrue(lines[1].contains("2.0 ms"), t);
    assertTrue(lines[2].contains("gone"), t);
  }

  @Test
  void mountsDrawsTheTreeLeaksAndDiff() throws Exception {
    String m1 =
        "{'id':27,'parentId':1,'device':'254:0','root':'/','mountPoint':'/','options':'rw',"
            + "'optionalFields':['shared:1'],'propagation':'shared','fsType':'ext4','source':'/dev/vda','superOptions':'rw','overmounted':false}";
    String m2 =
        "{'id':40,'parentId':27,'device':'0:5','root':'/','mountPoint':'/var/c/rootfs/proc','options':'rw',"
            + "'optionalFields':[],'propagation':'private','fsType':'proc','source':'proc','superOptions':'rw','overmounted':false,'leakedFrom':'3f9a0c11b2d4'}";
    String text =
        MountsCommand.render(
            json(
                "{'target':'host','pid':1,'gone':false,'root':'/','entries':["
                    + m1
                    + ","
                    + m2
                    + "],'malformed':[],'diff':{'against':'host','added':["
                    + m2
                    + "],'removed':[],'changed':[]}}"));
    assertTrue(text.startsWith("TARGET"), text);
    assertTrue(text.contains("└─/var/c/rootfs/proc"), text);
    assertTrue(text.contains("Leaked into the host"), text);
    assertTrue(text.contains("(container 3f9a0c11b2d4)"), text);
    assertTrue(text.contains("  + /var/c/rootfs/proc  proc  proc  rw"), text);
  }

  @Test
  void benchmarksAreSubcommandsInOrder() {
    assertEquals(
        List.of("inspect", "start", "start-inprocess", "memory", "soak", "all"),
        List.copyOf(Main.commandLine().getSubcommands().get("bench").getSubcommands().keySet()));
  }

  @Test
  void theMemoryBonusControlsGetTheirOwnLine() throws Exception {
    assertEquals(
        "soft limit 16.0 MiB (crossed 3 times), OOM group on, kernel 1.50 MiB",
        InspectCommand.memoryBonus(
            json(
                "{'softLimitBytes':16777216,'highEvents':3,'oomGroup':true,'kernelBytes':1572864}")));
    assertEquals(
        "soft limit 16.0 MiB, swappiness 0, OOM killer off (under OOM: waiting for memory)",
        InspectCommand.memoryBonus(
            json(
                "{'softLimitBytes':16777216,'swappiness':0,'oomKillDisabled':true,'underOom':true}")));
    assertEquals(
        "swappiness 60, OOM killer on",
        InspectCommand.memoryBonus(
            json("{'swappiness':60,'oomKillDisabled':false,'underOom':false}")));
  }
}
