#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for the Slurm executor's tests (SLURM.md has the facts
# this follows). Everything lives in one folder; only the pids this script started are ever stopped.
#
#   test/slurm/cluster.sh start DIR   writes DIR/slurm.conf, starts munged, slurmctld and slurmd (one pid
#                                     file each in DIR/pids/), waits until sinfo shows the node idle
#   test/slurm/cluster.sh stop DIR    stops exactly the pids in DIR/pids/ (TERM, then KILL after 10 s)
#   test/slurm/cluster.sh watch DIR PID   waits while PID lives and the cluster runs, then stops it: started
#                                     beside the tests, it stops the daemons even if the test runner is killed
#
# Clients (sbatch, squeue, scancel, scontrol) find the cluster with SLURM_CONF=DIR/slurm.conf.
# No cgroups, no accounting database (so no sacct): jobcomp/filetxt keeps a line per finished job.
# Needs root (slurmd runs jobs as their user), and Debian's slurmctld, slurmd, slurm-client, munge.
set -euo pipefail

action=${1:?usage: cluster.sh start|stop|watch DIR [PID]}
dir=${2:?usage: cluster.sh start|stop|watch DIR [PID]}
pids="$dir/pids"

stop() {
  [ -d "$pids" ] || return 0
  local file pid
  # Reverse start order: slurmd, slurmctld, then munged (the others authenticate through it).
  for name in slurmd slurmctld munged; do
    file="$pids/$name"
    [ -f "$file" ] || continue
    pid=$(cat "$file")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$file"
  done
}

start() {
  mkdir -p "$pids" "$dir/state" "$dir/spool" "$dir/log" "$dir/munge" "$dir/gpus"
  chown munge:munge "$dir/munge"
  chmod 755 "$dir/munge"
  local host cpus memory
  host=$(hostname -s)
  cpus=$(nproc)
  memory=$(( $(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p') * 8 / 10 ))
  # Two fake GPUs for --gpus/--gres: character devices aliasing /dev/null (plain files are refused).
  for i in 0 1; do [ -e "$dir/gpus/fakegpu$i" ] || mknod -m 666 "$dir/gpus/fakegpu$i" c 1 3; done
  # Ports of their own, so that two test runs on one machine (or a real Slurm) do not meet.
  local ctld_port slurmd_port
  ctld_port=$(free_port)
  slurmd_port=$(free_port "$ctld_port")
  cat > "$dir/slurm.conf" <<CONF
ClusterName=cardigan-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
MailProg=/bin/true
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=5
JobAcctGatherParams=OverMemoryKill
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.log
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1000
ReturnToService=2
MinJobAge=300
KillWait=5
GresTypes=gpu
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory Gres=gpu:2 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  cat > "$dir/gres.conf" <<CONF
AutoDetect=off
NodeName=$host Name=gpu File=$dir/gpus/fakegpu[0-1]
CONF
  export SLURM_CONF="$dir/slurm.conf"

  setsid setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged -F \
    --socket="$dir/munge/munge.socket" --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" \
    --seed-file="$dir/munge/munged.seed" >"$dir/log/munged.out" 2>&1 </dev/null &
  echo $! >"$pids/munged"
  wait_for "munged's socket" test -S "$dir/munge/munge.socket"

  setsid /usr/sbin/slurmctld -D -i -f "$dir/slurm.conf" >"$dir/log/slurmctld.out" 2>&1 </dev/null &
  echo $! >"$pids/slurmctld"
  setsid /usr/sbin/slurmd -D -f "$dir/slurm.conf" >"$dir/log/slurmd.out" 2>&1 </dev/null &
  echo $! >"$pids/slurmd"
  wait_for "the node to be idle" node_idle
}

# A TCP port nothing listens on (and not the one given), from the unprivileged range.
free_port() {
  local port
  for _ in $(seq 100); do
    port=$(( 20000 + RANDOM % 40000 ))
    [ "$port" = "${1:-}" ] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  echo "cluster.sh: no free port found" >&2
  exit 1
}

node_idle() {
  [ "$(sinfo -h -N -o %t 2>/dev/null | head -1)" = idle ]
}

wait_for() {
  local what=$1
  shift
  for _ in $(seq 300); do
    if "$@"; then return 0; fi
    for name in munged slurmctld slurmd; do
      if [ -f "$pids/$name" ] && ! kill -0 "$(cat "$pids/$name")" 2>/dev/null; then
        echo "cluster.sh: $name exited while waiting for $what; its output:" >&2
        tail -n 20 "$dir/log/$name.out" "$dir/log/$name.log" 2>/dev/null >&2 || true
        stop
        exit 1
      fi
    done
    sleep 0.1
  done
  echo "cluster.sh: timed out after 30 s waiting for $what" >&2
  stop
  exit 1
}

watch() {
  local owner=${1:?usage: cluster.sh watch DIR PID}
  while kill -0 "$owner" 2>/dev/null && [ -f "$pids/slurmctld" ]; do sleep 1; done
  stop
}

case "$action" in
  start) start ;;
  stop) stop ;;
  watch) watch "${3:-}" ;;
  *) echo "usage: cluster.sh start|stop|watch DIR [PID]" >&2; exit 2 ;;
esac
