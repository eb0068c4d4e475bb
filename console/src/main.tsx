import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { activate, initialLocale } from './i18n';
import './styles.css';

const locale = initialLocale();
activate(locale);
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App initialLocale={locale} />
  </StrictMode>,
);
