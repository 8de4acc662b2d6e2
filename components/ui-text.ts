/**
 * Words of the page itself (not of lessons) in both languages. Which one a request gets is
 * components/locale.ts's decision. Shared by server and client components, so plain data only.
 */
import type { Locale } from '../protocol/lesson';

export type { Locale };

export function resolveLocale(value: string | string[] | undefined): Locale {
  const v = Array.isArray(value) ? value[0] : value;
  return v === 'zh' ? 'zh' : 'en';
}

/**
 * Same path with the language kept for links inside the site: English needs no parameter (the
 * remembered choice, or the browser's, fills in); Chinese links carry `?lang=zh` so they can be
 * shared.
 */
export function withLocale(path: string, locale: Locale, params: Record<string, string> = {}): string {
  const query = new URLSearchParams(params);
  if (locale === 'zh') query.set('lang', 'zh');
  else query.delete('lang');
  const q = query.toString();
  return q ? `${path}?${q}` : path;
}

/** A link that switches language: always explicit, so it wins over the remembered choice. */
export function switchLocale(path: string, locale: Locale, params: Record<string, string> = {}): string {
  const query = new URLSearchParams(params);
  query.set('lang', locale);
  return `${path}?${query.toString()}`;
}

const en = {
  siteName: 'Container Lab',
  skipToContent: 'Skip to content',
  languageNav: 'Language',
  otherLanguage: '中文',
  otherLanguageCode: 'zh' as Locale,
  courseTitle: 'How containers really work',
  courseIntro:
    'A container is not a little virtual machine: it is ordinary Linux processes that the kernel isolates with namespaces, cgroups and seccomp. Every lesson runs real commands in your own sandbox, right here in the browser.',
  lessonsHeading: 'Lessons',
  startLesson: 'Start lesson',
  lessonNumber: (n: number) => `Lesson ${n}`,
  allLessons: 'All lessons',
  stepsNav: 'Steps',
  stepOf: (n: number, total: number) => `Step ${n} of ${total}`,
  back: 'Back',
  next: 'Next',
  nextLesson: (title: string) => `Next lesson: ${title}`,
  run: 'Run',
  runIn: (terminal: string) => `Run in Terminal ${terminal}`,
  ctrlCRun: 'Ctrl-C, then run',
  ctrlCRunIn: (terminal: string) => `Press Ctrl-C in Terminal ${terminal} (stopping what runs there), then run this`,
  check: 'Check',
  checkPassed: 'Passed',
  checkNoSandbox: 'Your sandbox is not running yet. Wait for the terminal to connect, then check again.',
  checkFailed: 'The check could not run. Try again in a moment.',
  setupFailed: 'This lesson could not prepare your sandbox; the checks will try again.',
  showHint: 'Show hint',
  showSolution: 'Show solution',
  hintHeading: 'Hint',
  solutionHeading: 'Solution',
  stepPassed: '(passed)',
  stepsPassed: (n: number, total: number) => `${n} of ${total} steps passed`,
  terminalsRegion: 'Terminals',
  terminalLabel: (id: string) => `Terminal ${id}`,
  newTerminal: 'New terminal',
  screenReaderMode: 'Screen reader mode',
  resetSandbox: 'Reset sandbox',
  resetConfirm: 'Throw this sandbox away and start a fresh one? Everything in it (files, processes, terminals) is lost.',
  resetFailed: 'The sandbox could not be reset',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  reconnectNow: 'Reconnect now',
  exited: 'The shell exited. Press Enter in the terminal to start a new one.',
  closed: 'The connection was closed.',
  reconnect: 'Reconnect',
  tryAgain: 'Try again',
  closePane: 'Close',
  ended: 'Your sandbox ended',
  startNew: 'Start a new one',
  dismiss: 'Dismiss',
  loadingTerminal: 'Loading terminal…',
  exitMessage: '[process exited, press Enter to start a new shell]',
  newSandbox: 'The lab server restarted, so your terminals now run in a new sandbox: earlier commands need to be run again.',
  menuLabel: 'Terminal menu',
  copy: 'Copy',
  paste: 'Paste',
  selectAll: 'Select all',
  clear: 'Clear',
  pasteBlocked: 'The browser did not allow reading the clipboard. Use Ctrl+Shift+V or Shift+Insert instead.',
  pasteUnavailable: 'Use Ctrl+Shift+V or Shift+Insert to paste here.',
  copyFailed: 'The browser did not allow copying.',
  notFoundTitle: 'Page not found',
  notFoundText: 'There is no lesson or page at this address. It may have been renamed, or the link has a typo.',
  backToCourse: 'Back to the course',
  closeReasons: {
    4000: 'The terminal server could not understand this page. Reload the page.',
    4001: 'This browser is not signed in to the lab. Reload the page.',
    4002: 'This page is out of date. Reload the page.',
    4004: 'There is no sandbox for this browser.',
    4008: 'A message was too large for the terminal server.',
    4029: 'No more terminals can be opened in this sandbox.',
    4500: 'The sandbox could not do what was asked.',
  } as Record<number, string>,
  unknownClose: (code: number) => `The terminal server closed the connection (code ${code}).`,
};

export type UIText = typeof en;

const zh: UIText = {
  siteName: '容器实验室',
  skipToContent: '跳到正文',
  languageNav: '语言',
  otherLanguage: 'English',
  otherLanguageCode: 'en' as Locale,
  courseTitle: '容器到底是怎么工作的',
  courseIntro:
    '容器不是小型虚拟机：它只是一些普通的 Linux 进程，被内核用命名空间、cgroups 和 seccomp 隔离开来。每一课都会在你自己的沙盒里运行真实的命令，就在浏览器里。',
  lessonsHeading: '课程',
  startLesson: '开始学习',
  lessonNumber: (n: number) => `第 ${n} 课`,
  allLessons: '全部课程',
  stepsNav: '步骤',
  stepOf: (n: number, total: number) => `第 ${n} 步，共 ${total} 步`,
  back: '上一步',
  next: '下一步',
  nextLesson: (title: string) => `下一课：${title}`,
  run: '运行',
  runIn: (terminal: string) => `在终端 ${terminal} 中运行`,
  ctrlCRun: '先 Ctrl-C 再运行',
  ctrlCRunIn: (terminal: string) => `先在终端 ${terminal} 里按 Ctrl-C（停下正在运行的程序），再运行这段命令`,
  check: '检查',
  checkPassed: '已通过',
  checkNoSandbox: '你的沙盒还没有运行。等终端连上之后再检查一次。',
  checkFailed: '检查没能运行。请稍后再试。',
  setupFailed: '本课没能准备好你的沙盒；检查时会再试一次。',
  showHint: '显示提示',
  showSolution: '显示答案',
  hintHeading: '提示',
  solutionHeading: '答案',
  stepPassed: '（已通过）',
  stepsPassed: (n: number, total: number) => `已通过 ${n} / ${total} 步`,
  terminalsRegion: '终端',
  terminalLabel: (id: string) => `终端 ${id}`,
  newTerminal: '新建终端',
  screenReaderMode: '屏幕阅读器模式',
  resetSandbox: '重置沙箱',
  resetConfirm: '丢弃这个沙箱并重新开一个吗？里面的一切（文件、进程、终端）都会消失。',
  resetFailed: '沙箱重置失败',
  connecting: '正在连接…',
  reconnecting: '正在重新连接…',
  reconnectNow: '立即重连',
  exited: 'shell 已退出。在终端里按回车即可启动一个新的。',
  closed: '连接已关闭。',
  reconnect: '重新连接',
  tryAgain: '重试',
  closePane: '关闭',
  ended: '你的沙盒已结束',
  startNew: '新开一个',
  dismiss: '关闭提示',
  loadingTerminal: '正在加载终端…',
  exitMessage: '[进程已退出，按回车启动新的 shell]',
  newSandbox: '实验服务器重启过，你的终端现在运行在一个新的沙盒里：之前的命令需要重新运行。',
  menuLabel: '终端菜单',
  copy: '复制',
  paste: '粘贴',
  selectAll: '全选',
  clear: '清屏',
  pasteBlocked: '浏览器不允许读取剪贴板。请改用 Ctrl+Shift+V 或 Shift+Insert。',
  pasteUnavailable: '请用 Ctrl+Shift+V 或 Shift+Insert 粘贴。',
  copyFailed: '浏览器不允许复制。',
  notFoundTitle: '找不到页面',
  notFoundText: '这个地址上没有课程或页面。它可能改了名字，或者链接里有错字。',
  backToCourse: '返回课程',
  closeReasons: {
    4000: '终端服务器无法理解这个页面发来的内容。请刷新页面。',
    4001: '这个浏览器还没有登录实验室。请刷新页面。',
    4002: '这个页面已经过期。请刷新页面。',
    4004: '这个浏览器没有对应的沙盒。',
    4008: '发给终端服务器的消息太大了。',
    4029: '这个沙盒不能再打开更多终端了。',
    4500: '沙盒没能完成请求。',
  } as Record<number, string>,
  unknownClose: (code: number) => `终端服务器关闭了连接（代码 ${code}）。`,
};

export const UI: Record<Locale, UIText> = { en, zh };
