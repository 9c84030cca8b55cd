// Run by node.exe under Wine for .ci/windows.mjs: a second Windows program holding a file open, as
// an antivirus, the search indexer, OneDrive or an editor does. It holds the file until gmail-token
// is writing it (its lock beside the file is there), then one second more, well within the ~2 s
// gmail-token retries, and says whether it saw the write at all: a write that came only after the
// release would pass without testing anything.
// Usage: node windows-holder.cjs <file> <lock> <give up after ms>
const fs = process.getBuiltinModule('node:fs');
const [file, lock, giveUpMs] = process.argv.slice(2);
const handle = fs.openSync(file, 'r');
console.log('held');
const giveUp = Date.now() + Number(giveUpMs);
const poll = setInterval(() => {
  const writing = fs.existsSync(lock);
  if (!writing && Date.now() < giveUp) return;
  clearInterval(poll);
  setTimeout(() => {
    fs.closeSync(handle);
    console.log(writing ? 'released while the write waited' : 'released: no write was seen');
  }, writing ? 1000 : 0);
}, 10);
